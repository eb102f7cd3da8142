#include "agent/renewal_schedule.h"

#include <algorithm>

namespace vgls::agent {

using std::chrono::milliseconds;

milliseconds renewal_interval(milliseconds hint, milliseconds ttl) {
  // Renewing a few seconds before the end is the latest that is still safe.
  const auto latest = std::max(renewal_minimum, ttl - renewal_margin);
  const auto wanted = std::max(hint, renewal_floor);
  return std::max(renewal_minimum, std::min(wanted, latest));
}

milliseconds renewal_delay(milliseconds hint, milliseconds ttl, double fraction) {
  const auto interval = renewal_interval(hint, ttl);
  const auto latest = ttl - renewal_margin;
  const auto room = std::max(milliseconds(0), std::min(interval / 10, latest - interval));
  const double share = std::clamp(fraction, 0.0, 1.0);
  return interval + milliseconds(static_cast<milliseconds::rep>(share * room.count()));
}

}  // namespace vgls::agent
