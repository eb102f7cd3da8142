// SIGTERM and SIGINT as something the agent can wait on. The constructor blocks both signals in
// the calling thread and opens a signalfd for them, so that waiting for the next renewal or the
// next retry is a poll() that a stop signal ends at once; between waits a signal stays pending
// and is seen at the next wait or `requested()`. Construct it in main before any thread starts
// (threads inherit the mask). Not thread-safe; one instance per process.
#pragma once

#include <chrono>

namespace vgls::agent {

class stop_signal {
 public:
  stop_signal();
  ~stop_signal();
  stop_signal(const stop_signal&) = delete;
  stop_signal& operator=(const stop_signal&) = delete;

  // Waits up to `timeout`. True once a stop signal has arrived (now or before).
  bool wait_for(std::chrono::milliseconds timeout);

  // True once a stop signal has arrived; never blocks.
  bool requested() { return wait_for(std::chrono::milliseconds(0)); }

  // The signal that asked to stop (SIGTERM or SIGINT), 0 before one arrived.
  int signal_number() const { return signal_; }

 private:
  int fd_ = -1;
  int signal_ = 0;
};

}  // namespace vgls::agent
