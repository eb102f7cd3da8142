#include "server/http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace vgls::server {
namespace {

// Above this many tracked addresses, full buckets are dropped: they are indistinguishable from
// new ones, and a scan of many addresses must not grow memory without bound.
constexpr std::size_t max_tracked_addresses = 100'000;

}  // namespace

rate_limiter::rate_limiter(double rate) : rate_(rate), burst_(std::max(1.0, rate)) {}

std::optional<int> rate_limiter::admit(std::string_view address, time_point now) {
  if (rate_ <= 0)
    return std::nullopt;
  std::lock_guard lock(mutex_);
  if (buckets_.size() >= max_tracked_addresses)
    forget_idle(now);
  auto [it, inserted] = buckets_.try_emplace(std::string(address), bucket{burst_, now});
  auto& b = it->second;
  if (!inserted) {
    const double elapsed = std::chrono::duration<double>(now - b.refreshed).count();
    b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    b.refreshed = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  const double wait = (1.0 - b.tokens) / rate_;
  return std::max(1, static_cast<int>(std::ceil(wait)));
}

void rate_limiter::forget_idle(time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double elapsed = std::chrono::duration<double>(now - it->second.refreshed).count();
    if (it->second.tokens + elapsed * rate_ >= burst_) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace vgls::server
