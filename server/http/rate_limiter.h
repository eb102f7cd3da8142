// Per-address token bucket (SPEC §2 `server.rate_limit`): each address may make `rate` requests per
// second on average, with bursts of up to max(1, rate) requests. Thread-safe (one mutex; the
// limiter is off, and never locks, when rate is 0).
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vgls::server {

class rate_limiter {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  // `rate` requests per second per address; 0 turns the limiter off.
  explicit rate_limiter(double rate);

  // nullopt when the request may proceed; otherwise the whole seconds to wait (for Retry-After).
  std::optional<int> admit(std::string_view address, time_point now);

  bool enabled() const { return rate_ > 0; }

 private:
  struct bucket {
    double tokens = 0;
    time_point refreshed;
  };

  void forget_idle(time_point now);

  double rate_;
  double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace vgls::server
