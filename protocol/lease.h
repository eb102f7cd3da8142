// A lease: one seat of one pool held by one client (SPEC §1, §2).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "protocol/edition.h"
#include "protocol/time.h"

namespace vgls::protocol {

// What a client says of itself; at most 16 pairs of strings of at most 64 bytes each.
using labels = std::map<std::string, std::string>;

struct lease {
  std::string id;
  std::string client_id;
  edition requested_edition = edition::vapp;
  edition granted_edition = edition::vapp;  // "edition" on the wire
  std::string pool_id;
  unix_seconds issued_at = 0;
  unix_seconds renewed_at = 0;
  unix_seconds expires_at = 0;
  // Relative to the server's clock at the time of the answer; filled by the store.
  std::int64_t ttl_seconds = 0;
  std::int64_t renew_after_seconds = 0;
  std::optional<std::string> hostname;
  std::optional<std::string> vgpu_profile;
  protocol::labels labels;
  // Seconds the client's clock was ahead of the server's when it last said (client_time).
  std::optional<std::int64_t> client_clock_skew_seconds;
  // A signed statement of the lease, once the server signs leases; absent until then.
  std::optional<std::string> token;
};

// SPEC §2: renew_after_seconds = max(1, floor(ttl_seconds × renew_fraction)).
std::int64_t renew_after(std::int64_t ttl_seconds, double renew_fraction);

}  // namespace vgls::protocol
