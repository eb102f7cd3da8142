#include "protocol/pool_rules.h"

#include "protocol/validation.h"

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

std::optional<pool_rule_violation> check_pool_fields(const pool_create_request& request) {
  if (!is_valid_pool_id(request.id)) {
    return pool_rule_violation{"id", "must match [a-z0-9][a-z0-9._-]{0,62}"};
  }
  if (request.seats < 0 || request.seats > max_pool_seats) {
    return pool_rule_violation{"seats",
                               "must be an integer from 0 to " + std::to_string(max_pool_seats)};
  }
  if (request.days && (*request.days < 1 || *request.days > max_pool_days)) {
    return pool_rule_violation{"days",
                               "must be an integer from 1 to " + std::to_string(max_pool_days)};
  }
  return std::nullopt;
}

std::optional<pool_rule_violation> check_pool_request(const pool_create_request& request) {
  if (auto broken = check_pool_fields(request)) {
    return broken;
  }
  return check_pool_dates(request);
}

pool resolve_pool(const pool_create_request& request, unix_seconds now) {
  pool out;
  out.id = request.id;
  out.edition = request.edition;
  out.seats = request.seats;
  out.kind = request.kind;
  out.starts_at = request.starts_at.value_or(now);
  if (request.expires_at) {
    out.expires_at = request.expires_at;
  } else if (request.days) {
    out.expires_at = now + *request.days * seconds_per_day;
  }
  return out;
}

std::optional<pool_rule_violation> check_pool(const pool& pool) {
  if (pool.seats < 0 || pool.seats > max_pool_seats) {
    return pool_rule_violation{"seats",
                               "must be an integer from 0 to " + std::to_string(max_pool_seats)};
  }
  if (!pool.expires_at && pool.kind != pool_kind::perpetual) {
    return pool_rule_violation{
        "expires_at", "a " + std::string(to_string(pool.kind)) + " pool needs expires_at or days"};
  }
  if (pool.expires_at && pool.kind == pool_kind::perpetual) {
    // A perpetual pool never expires; an end would make it a subscription in all but name.
    return pool_rule_violation{"expires_at", "a perpetual pool never expires"};
  }
  if (pool.expires_at && *pool.expires_at <= pool.starts_at) {
    return pool_rule_violation{
        "expires_at", "must be later than starts_at (" + format_rfc3339(pool.starts_at) + ")"};
  }
  return std::nullopt;
}

std::optional<std::string> declared_pool_ended(const pool_create_request& request,
                                               unix_seconds now) {
  if (!request.expires_at || *request.expires_at > now) {
    return std::nullopt;
  }
  return "ended at " + format_rfc3339(*request.expires_at) +
         "; vglsd neither creates nor changes it (a stored pool keeps its dates). Give it a later "
         "expires_at, or remove this [[pool]]";
}

}  // namespace vgls::protocol
