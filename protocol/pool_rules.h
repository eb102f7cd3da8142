// The rules that tie a pool's kind and dates together (SPEC §1, §2 POST /v1/pools). Shared by the
// API's decoder and the config's [[pool]] tables, so the two can never disagree. Pure functions.
#pragma once

#include <optional>
#include <string>

#include "protocol/requests.h"

namespace vgls::protocol {

struct pool_rule_violation {
  std::string field;   // "expires_at" or "days"; empty when the fault lies between the two
  std::string reason;  // without the field's name: "a perpetual pool never expires"
};

// nullopt when `request`'s kind, start and end fit together: a perpetual pool has no end; a trial
// or subscription pool has exactly one of expires_at and days; an end comes after the start.
std::optional<pool_rule_violation> check_pool_dates(const pool_create_request& request);

}  // namespace vgls::protocol
