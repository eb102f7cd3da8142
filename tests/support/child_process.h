// A program run in the background for an end-to-end test, its stdout and stderr captured to a
// file. The destructor kills (SIGKILL) and reaps it if it is still running. Not thread-safe.
#pragma once

#include <sys/types.h>
#include <time.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vgls::testing {

class child_process {
 public:
  // Starts `argv[0]` with `argv`, the current environment plus `env` (an empty value unsets),
  // output to `output_file`. Throws std::runtime_error when it cannot start.
  child_process(std::vector<std::string> argv, std::filesystem::path output_file,
                std::map<std::string, std::string> env = {});
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void send_signal(int signal);

  // The exit status once it has exited: the exit code, or 128 + the signal that killed it.
  // nullopt when still running after `timeout`.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

  // SIGKILL and reap.
  void kill();

  // Everything it has printed so far.
  std::string output() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
  std::filesystem::path output_file_;
};

// Runs a program to completion (bounded by `timeout`, then killed) and returns its exit status
// and output.
struct run_result {
  int exit_status = -1;
  std::string output;
};
run_result run_program(std::vector<std::string> argv, std::chrono::milliseconds timeout,
                       std::map<std::string, std::string> env = {});

// The resident set of a running process (VmRSS of /proc/PID/status), in bytes; 0 when unknown.
std::size_t resident_bytes(pid_t pid);

// Polls `condition` every 20 ms until it holds or `timeout` passes; returns its last value.
template <class Condition>
bool wait_until(Condition&& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition())
      return true;
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    struct timespec pause {
      0, 20'000'000
    };
    ::nanosleep(&pause, nullptr);
  }
}

}  // namespace vgls::testing
