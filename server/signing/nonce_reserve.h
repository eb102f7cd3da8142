// Ed25519 nonces made ahead, so that a boot storm's lease answers are signed for the price of a
// hash and a multiply-add (see ed25519_nonce.h). A thread of the lowest CPU priority (SCHED_IDLE:
// it runs only when nothing else wants the CPU) keeps up to `capacity` nonces ready, making them
// only once no nonce has been taken for `quiet_time` (so a storm's answers are not slowed by the
// refill that follows them, and a steady load beyond the reserve signs at full cost); `take`
// hands each out exactly once, and makes one on the spot when none is ready (or when the filler,
// preempted while it holds the lock, would make it wait), so an empty reserve costs what signing
// costs without one and never refuses or stalls.
//
// Nonces live only in this process's memory: they are never written anywhere, and each is wiped
// when it is handed out and when the reserve ends. A restart starts empty and fills again.
//
// Thread-safety: `take`, `ready` and `capacity` may be called from any thread at once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "server/signing/ed25519_nonce.h"

namespace vgls::server {

class nonce_reserve {
 public:
  // capacity 0: no thread, every nonce made on the spot.
  explicit nonce_reserve(std::size_t capacity);
  ~nonce_reserve();
  nonce_reserve(const nonce_reserve&) = delete;
  nonce_reserve& operator=(const nonce_reserve&) = delete;

  // A nonce nobody else has had or will have.
  ed25519_nonce take();

  // How long no nonce must have been taken before the filler makes more.
  static constexpr std::chrono::milliseconds quiet_time{100};

  std::size_t capacity() const { return capacity_; }
  // How many are ready now. Never waits for the filler.
  std::size_t ready() const { return ready_count_.load(std::memory_order_relaxed); }
  // How many `take` had to make on the spot since the start.
  std::uint64_t made_on_demand() const { return made_on_demand_.load(std::memory_order_relaxed); }

 private:
  void fill(std::stop_token stop);
  std::chrono::steady_clock::duration time_since_take() const;
  bool taken_since(std::chrono::steady_clock::time_point t) const;

  const std::size_t capacity_;
  const std::size_t batch_;  // the most the filler makes between two locks
  mutable std::mutex mutex_;
  std::condition_variable_any wanted_;
  std::vector<ed25519_nonce> ready_;  // under mutex_; reserved at capacity, never reallocated
  std::atomic<std::size_t> ready_count_{0};  // ready_.size(), written under mutex_
  std::atomic<std::uint64_t> made_on_demand_{0};
  std::atomic<bool> drained_logged_{false};  // the warning of an empty reserve, once per drain
  std::atomic<std::chrono::steady_clock::rep> last_take_{0};  // steady_clock ticks of the last take
  std::jthread filler_;  // last: it starts after everything it uses
};

}  // namespace vgls::server
