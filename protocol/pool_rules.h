// The rules a pool must keep (SPEC §1, §2 POST/PATCH /v1/pools, §3 [[pool]]). One copy, shared by
// the API's decoder, the store's engine and the configuration's [[pool]] tables, so that what
// `vglsd --check-config` accepts is exactly what a start accepts. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "protocol/pool.h"
#include "protocol/requests.h"

namespace vgls::protocol {

// A pool bought for longer than a century is a typing mistake.
inline constexpr std::int64_t max_pool_days = 36'500;

struct pool_rule_violation {
  // The request field at fault: "id", "seats", "days", "starts_at" or "expires_at"; empty when
  // the fault lies between expires_at and days.
  std::string field;
  std::string reason;  // without the field's name: "a perpetual pool never expires"
};

// nullopt when `request`'s kind, start and end fit together: a perpetual pool has no end; a trial
// or subscription pool has exactly one of expires_at and days; an end comes after the start.
std::optional<pool_rule_violation> check_pool_dates(const pool_create_request& request);

// The rules of a request's own fields: the id's form ([a-z0-9][a-z0-9._-]{0,62}), seats
// 0..max_pool_seats, days 1..max_pool_days. nullopt when it keeps them.
std::optional<pool_rule_violation> check_pool_fields(const pool_create_request& request);

// Every rule a request to make a pool must keep before a store looks at it: check_pool_fields and
// check_pool_dates. nullopt when it keeps them all. (A store, which also sees requests made
// without a decoder, applies check_pool_fields, then check_pool to the pool it resolves.)
std::optional<pool_rule_violation> check_pool_request(const pool_create_request& request);

// The pool that `request` makes at `now`: starts_at defaults to now, `days` count from now.
pool resolve_pool(const pool_create_request& request, unix_seconds now);

// The rules of a whole pool, as created or changed: seats in range, an end exactly when it is not
// perpetual, and an end later than its start. nullopt when it keeps them.
std::optional<pool_rule_violation> check_pool(const pool& pool);

// A declared pool ([[pool]]) whose expires_at has passed at `now`. SPEC §3 is silent; vglsd
// neither creates nor changes such a pool (a stored pool keeps its own dates), and says so with
// this reason, at start and in --check-config, which both still succeed: a subscription that
// ends must not stop the server, and its other pools, from starting. nullopt when the end is still
// ahead, or given as `days` (which count from the pool's creation), or absent.
std::optional<std::string> declared_pool_ended(const pool_create_request& request,
                                               unix_seconds now);

}  // namespace vgls::protocol
