// Capped exponential backoff with jitter, for retrying a round of servers: the base delay starts
// at `initial`, doubles after each delay, and stops growing at `cap`; each delay is drawn between
// 80 % and 100 % of the base, so a fleet of VMs that lost a server together does not come back in
// lock-step, and no delay ever exceeds the cap. Not synchronised: one instance per loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace vgls::agent {

class backoff {
 public:
  // `initial` is clamped to `cap`.
  backoff(std::chrono::milliseconds initial, std::chrono::milliseconds cap, std::uint64_t seed);

  // The delay to wait before the next round; grows the base for the round after.
  std::chrono::milliseconds next();

  // Back to `initial`, after a success.
  void reset();

  // Delays handed out since the last reset.
  int rounds() const { return rounds_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds cap_;
  std::chrono::milliseconds base_;
  std::mt19937_64 random_;
  int rounds_ = 0;
};

}  // namespace vgls::agent
