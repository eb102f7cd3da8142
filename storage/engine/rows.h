// The rows that cross between the engine and a backend: what a backend loads into the engine at
// start (owned values) and what the engine hands a backend to write (views into the engine's
// memory or the batch's changeset, valid during the commit call only). Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/edition.h"
#include "protocol/lease.h"
#include "protocol/pool.h"
#include "protocol/time.h"

namespace vgls::storage {

// One lease as stored: the decision fields, and what the client said of itself.
struct lease_row {
  std::int64_t seq = 0;  // issue order; the row's key
  std::string id;
  std::string client_id;
  std::string pool_id;
  protocol::edition requested_edition = protocol::edition::vapp;
  protocol::edition granted_edition = protocol::edition::vapp;
  protocol::unix_seconds issued_at = 0;
  protocol::unix_seconds renewed_at = 0;
  protocol::unix_seconds expires_at = 0;
  std::optional<std::string> hostname;
  std::optional<std::string> vgpu_profile;
  protocol::labels labels;
  std::optional<std::int64_t> client_clock_skew;
};

// The same, as the engine hands it to a backend to write.
struct lease_write {
  std::int64_t seq = 0;
  bool inserted = false;  // new in this batch; else an update of every column but the keys
  std::string_view id;
  std::string_view client_id;
  std::string_view pool_id;
  protocol::edition requested_edition = protocol::edition::vapp;
  protocol::edition granted_edition = protocol::edition::vapp;
  protocol::unix_seconds issued_at = 0;
  protocol::unix_seconds renewed_at = 0;
  protocol::unix_seconds expires_at = 0;
  std::optional<std::string_view> hostname;
  std::optional<std::string_view> vgpu_profile;
  std::string_view labels_json;  // a JSON object's text, "{}" when there are none
  std::optional<std::int64_t> client_clock_skew;
};

struct pool_write {
  const protocol::pool* pool = nullptr;
  protocol::unix_seconds created_at = 0;
};

struct event_write {
  std::int64_t id = 0;
  protocol::unix_seconds at = 0;
  std::string_view type;
  std::optional<std::string_view> pool_id;
  std::optional<std::string_view> lease_id;
  std::optional<std::string_view> client_id;
  std::optional<protocol::edition> edition;
  std::string_view detail_json;  // a JSON object's text
};

// The usage tables' grains (SPEC §2 /v1/usage buckets are read from the coarsest that fits).
enum class usage_grain { minute, hour, day };

// One usage row. A write merges into an existing row of the same grain, start and edition:
// peak_used the larger, seats the new value, granted and denied added.
struct usage_row {
  usage_grain grain = usage_grain::minute;
  protocol::unix_seconds start = 0;
  protocol::edition edition = protocol::edition::vapp;
  std::int64_t peak_used = 0;
  std::int64_t seats = 0;
  std::int64_t granted = 0;
  std::int64_t denied = 0;
};

// A lease that ended because its pool expired: a late renew answers license_expired.
struct lease_ending_row {
  std::string lease_id;
  std::string pool_id;
  protocol::unix_seconds ended_at = 0;
};

// What retention deletes in one bounded pass.
struct retention_pass {
  protocol::unix_seconds events_before = 0;
  protocol::unix_seconds usage_before = 0;
  std::int64_t max_events = 5000;
};

}  // namespace vgls::storage
