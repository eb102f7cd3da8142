// When to renew a lease: the server's `renew_after_seconds` with a floor, and a bounded jitter.
// A pool near its end cuts every lease to its expiry, and its `renew_after_seconds` shrinks with
// it; renewing at that hint alone would renew every second in a pool's last minutes. So a renewal
// comes no sooner than `renewal_floor` (30 s) after the answer, unless the lease ends sooner: then
// it comes `renewal_margin` (a few seconds) before the end, and never sooner than `renewal_minimum`
// (1 s), so no schedule is a tight loop. A jitter of up to 10 % of the interval is added, drawn by
// the caller, so a fleet whose pool was renewed at one moment does not renew at one second; it
// never moves a renewal past the margin before the end. Pure functions; thread-safe.
#pragma once

#include <chrono>

namespace vgls::agent {

inline constexpr std::chrono::milliseconds renewal_floor{30'000};
inline constexpr std::chrono::milliseconds renewal_margin{5'000};
inline constexpr std::chrono::milliseconds renewal_minimum{1'000};

// The delay from the answer to the next renewal, before jitter. `hint` is the server's
// `renew_after_seconds`, `ttl` the lease's remaining life at the answer.
std::chrono::milliseconds renewal_interval(std::chrono::milliseconds hint,
                                           std::chrono::milliseconds ttl);

// `renewal_interval` plus `fraction` (0..1, clamped) of the allowed jitter: up to 10 % of the
// interval, and no more than leaves `renewal_margin` before the end (none when the interval is
// already inside the margin).
std::chrono::milliseconds renewal_delay(std::chrono::milliseconds hint,
                                        std::chrono::milliseconds ttl, double fraction);

}  // namespace vgls::agent
