// The wall clock the store reads. Production uses system_clock; tests inject a settable one to move
// time forwards and backwards. Implementations must be thread-safe.
#pragma once

#include <atomic>

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

}  // namespace vgls::storage
