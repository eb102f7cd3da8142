// Decoded, validated requests and queries. A value of one of these types has passed every
// syntactic check of SPEC §2; what remains is for the store to decide (seats, pools, time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/edition.h"
#include "protocol/event.h"
#include "protocol/lease.h"
#include "protocol/pool.h"
#include "protocol/time.h"

namespace vgls::protocol {

// POST /v1/leases
struct checkout_request {
  std::string client_id;
  edition requested_edition = edition::vapp;  // from `edition`, else from `vgpu_profile`
  std::optional<std::string> hostname;
  std::optional<std::string> vgpu_profile;
  protocol::labels labels;
  std::optional<unix_seconds> client_time;
};

// POST /v1/leases/{id}/renew (body optional)
struct renew_request {
  std::optional<unix_seconds> client_time;
};

// POST /v1/pools. Exactly what the admin said; the store resolves `days` and defaults against its
// own clock.
struct pool_create_request {
  std::string id;
  protocol::edition edition = protocol::edition::vapp;
  std::int64_t seats = 0;
  pool_kind kind = pool_kind::subscription;
  std::optional<unix_seconds> starts_at;
  std::optional<unix_seconds> expires_at;
  std::optional<std::int64_t> days;
};

// PATCH /v1/pools/{id}: only the fields present change.
struct pool_patch_request {
  std::optional<std::int64_t> seats;
  std::optional<unix_seconds> starts_at;
  std::optional<unix_seconds> expires_at;
};

// GET /v1/leases
struct lease_query {
  std::optional<std::string> pool_id;
  std::optional<protocol::edition> edition;  // granted
  std::optional<std::string> client_id;
  std::optional<std::string> hostname_prefix;
  int limit = 100;                   // 1..1000
  std::optional<std::string> after;  // opaque cursor from a previous page's `next`
};

struct lease_page {
  std::vector<lease> leases;
  std::optional<std::string> next;
  std::int64_t total = 0;  // matches the filters, not the page
};

// GET /v1/events
struct event_query {
  std::int64_t after = 0;
  int limit = 100;  // 1..1000
  std::optional<std::string> type;
};

struct event_page {
  std::vector<event> events;
  std::optional<std::int64_t> next;  // the id to pass as `after`, nullopt when there is no more
};

// GET /v1/usage; `from` and `to` already defaulted by the decoder against the given `now`.
struct usage_query {
  unix_seconds from = 0;
  unix_seconds to = 0;                 // exclusive; see usage_end_through
  std::int64_t bucket_seconds = 3600;  // 60, 300, 900, 3600, 21600, 86400
  std::optional<protocol::edition> edition;
};

// The exclusive `to` of a usage report that counts second `t` itself. Times are whole seconds, so
// a report "up to now" must end after the current second: ending at it would leave out the open
// minute whenever now is that minute's first second, and every grant made in it.
constexpr unix_seconds usage_end_through(unix_seconds t) {
  return t + 1;
}

}  // namespace vgls::protocol
