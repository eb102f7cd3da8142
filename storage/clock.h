// The wall clock the store reads. Production uses system_clock; tests inject a settable one to move
// time forwards and backwards. Implementations must be thread-safe.
#pragma once

#include <atomic>
#include <chrono>

#include "protocol/time.h"

namespace vgls::storage {

class clock {
 public:
  virtual ~clock() = default;
  virtual protocol::unix_seconds now() const = 0;
};

class system_clock final : public clock {
 public:
  protocol::unix_seconds now() const override { return protocol::system_now(); }
};

// A clock that says what it is told. For tests.
class manual_clock final : public clock {
 public:
  explicit manual_clock(protocol::unix_seconds start) : now_(start) {}
  protocol::unix_seconds now() const override { return now_.load(); }
  void set(protocol::unix_seconds t) { now_.store(t); }
  void advance(std::int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<protocol::unix_seconds> now_;
};

// A clock that follows another source of time (the database server's clock, SPEC §7): `set` it
// from that source now and then; in between it advances by the monotonic clock, so a step of the
// host's clock does not move it. Before the first `set`, it reads the host's clock.
class following_clock final : public clock {
 public:
  void set(protocol::unix_seconds source_now) {
    offset_ms_.store(source_now * 1000 - steady_ms(), std::memory_order_relaxed);
    set_.store(true, std::memory_order_release);
  }
  protocol::unix_seconds now() const override {
    if (!set_.load(std::memory_order_acquire)) {
      return protocol::system_now();
    }
    return (steady_ms() + offset_ms_.load(std::memory_order_relaxed)) / 1000;
  }

 private:
  static std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  std::atomic<std::int64_t> offset_ms_{0};
  std::atomic<bool> set_{false};
};

}  // namespace vgls::storage
