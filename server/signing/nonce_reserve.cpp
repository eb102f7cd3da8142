#include "server/signing/nonce_reserve.h"

#include <pthread.h>
#include <sched.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace vgls::server {

nonce_reserve::nonce_reserve(std::size_t capacity)
    : capacity_(capacity), batch_(std::clamp<std::size_t>(capacity / 16, 1, 256)) {
  if (capacity_ == 0)
    return;
  require_sodium();
  ready_.reserve(capacity_);
  filler_ = std::jthread([this](std::stop_token stop) { fill(std::move(stop)); });
}

nonce_reserve::~nonce_reserve() {
  if (filler_.joinable()) {
    filler_.request_stop();
    filler_.join();
  }
  if (!ready_.empty())
    sodium_memzero(ready_.data(), ready_.size() * sizeof(ed25519_nonce));
}

std::chrono::steady_clock::duration nonce_reserve::time_since_take() const {
  return std::chrono::steady_clock::now() -
         std::chrono::steady_clock::time_point(
             std::chrono::steady_clock::duration(last_take_.load(std::memory_order_relaxed)));
}

bool nonce_reserve::taken_since(std::chrono::steady_clock::time_point t) const {
  return last_take_.load(std::memory_order_relaxed) > t.time_since_epoch().count();
}

ed25519_nonce nonce_reserve::take() {
  if (capacity_ > 0) {
    last_take_.store(std::chrono::steady_clock::now().time_since_epoch().count(),
                     std::memory_order_relaxed);
    // The filler runs at idle priority and may be preempted while it holds the lock; a taker
    // never waits for it longer than a few microseconds, and signs at full cost instead.
    std::unique_lock lock(mutex_, std::defer_lock);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::microseconds(20);
    while (!lock.try_lock() && std::chrono::steady_clock::now() < give_up)
      std::this_thread::yield();
    if (lock.owns_lock() && !ready_.empty()) {
      ed25519_nonce n = ready_.back();
      wipe(ready_.back());
      ready_.pop_back();
      ready_count_.store(ready_.size(), std::memory_order_relaxed);
      if (ready_.size() + 1 == capacity_)
        wanted_.notify_one();  // the filler waits only while the reserve is full
      return n;
    }
    if (lock.owns_lock() && !drained_logged_.exchange(true)) {
      spdlog::warn(
          "all {} lease signatures prepared ahead are used: answers are now signed at full cost "
          "(about 20 times the CPU of a prepared one) until the server is idle long enough to "
          "prepare more; if boot "
          "storms are larger than that, raise server.signing_reserve",
          capacity_);
    }
  }
  made_on_demand_.fetch_add(1, std::memory_order_relaxed);
  return make_ed25519_nonce();
}

void nonce_reserve::fill(std::stop_token stop) {
  // Only when nothing else wants the CPU; a failure leaves the normal priority, which is only
  // less kind to the rest of the machine.
  const sched_param idle{};
  if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) != 0)
    spdlog::debug("signing nonces are prepared at normal priority (SCHED_IDLE refused)");
  std::vector<ed25519_nonce> made;
  made.reserve(batch_);
  while (!stop.stop_requested()) {
    std::size_t wanted;
    {
      std::unique_lock lock(mutex_);
      wanted_.wait(lock, stop, [&] { return ready_.size() < capacity_; });
      // Not while answers are being signed: a storm is served from the reserve, and it is
      // filled again once the server has been quiet for a moment.
      for (auto since = time_since_take(); since < quiet_time && !stop.stop_requested();
           since = time_since_take())
        wanted_.wait_for(lock, stop, quiet_time - since, [] { return false; });
      if (stop.stop_requested())
        break;
      wanted = std::min(batch_, capacity_ - ready_.size());
    }
    const auto batch_start = std::chrono::steady_clock::now();
    while (made.size() < wanted && !stop.stop_requested() && !taken_since(batch_start))
      made.push_back(make_ed25519_nonce());
    std::lock_guard lock(mutex_);
    for (auto& n : made) {
      if (ready_.size() < capacity_)
        ready_.push_back(n);
      wipe(n);
    }
    made.clear();
    ready_count_.store(ready_.size(), std::memory_order_relaxed);
    if (ready_.size() == capacity_)
      drained_logged_.store(false);
  }
  if (!made.empty())
    sodium_memzero(made.data(), made.size() * sizeof(ed25519_nonce));
}

}  // namespace vgls::server
