#include "protocol/pool_rules.h"

namespace vgls::protocol {

std::optional<pool_rule_violation> check_pool_dates(const pool_create_request& request) {
  if (request.kind == pool_kind::perpetual) {
    if (request.expires_at) {
      return pool_rule_violation{"expires_at", "a perpetual pool never expires"};
    }
    if (request.days) {
      return pool_rule_violation{"days", "a perpetual pool never expires"};
    }
  } else {
    if (!request.expires_at && !request.days) {
      return pool_rule_violation{{}, "a trial or subscription pool needs expires_at or days"};
    }
    if (request.expires_at && request.days) {
      return pool_rule_violation{{}, "give expires_at or days, not both"};
    }
  }
  if (request.starts_at && request.expires_at && *request.expires_at <= *request.starts_at) {
    return pool_rule_violation{"expires_at", "must be after starts_at"};
  }
  return std::nullopt;
}

}  // namespace vgls::protocol
