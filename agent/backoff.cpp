#include "agent/backoff.h"

#include <algorithm>

namespace vgls::agent {

backoff::backoff(std::chrono::milliseconds initial, std::chrono::milliseconds cap,
                 std::uint64_t seed)
    : initial_(std::min(initial, cap)), cap_(cap), base_(initial_), random_(seed) {}

std::chrono::milliseconds backoff::next() {
  const auto base = base_.count();
  std::uniform_int_distribution<std::int64_t> jitter(base - base / 5, base);
  const std::chrono::milliseconds delay(jitter(random_));
  base_ = std::min(base_ * 2, cap_);
  ++rounds_;
  return delay;
}

void backoff::reset() {
  base_ = initial_;
  rounds_ = 0;
}

}  // namespace vgls::agent
