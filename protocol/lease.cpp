#include "protocol/lease.h"

#include <algorithm>
#include <cmath>

namespace vgls::protocol {

std::int64_t renew_after(std::int64_t ttl_seconds, double renew_fraction) {
  const double product = std::floor(static_cast<double>(ttl_seconds) * renew_fraction);
  // NaN or a non-positive product still yields a schedulable, positive delay.
  if (!(product >= 1.0)) {
    return 1;
  }
  // Never later than the lease's own end (and never a double too large to convert).
  if (product >= static_cast<double>(ttl_seconds)) {
    return std::max<std::int64_t>(1, ttl_seconds);
  }
  return static_cast<std::int64_t>(product);
}

}  // namespace vgls::protocol
