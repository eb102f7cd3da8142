// GET /v1/server: facts about the running server (SPEC §2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "protocol/time.h"

namespace vgls::protocol {

struct server_info {
  std::string version;
  std::int64_t uptime_seconds = 0;
  std::string storage_backend;  // "sqlite"
  unix_seconds time = 0;        // the server's effective time (never below clock_high_water)
  unix_seconds clock_high_water = 0;
  bool clock_rollback = false;  // the wall clock is more than 5 minutes behind the high-water mark
  std::int64_t leases_active = 0;
  std::int64_t pools = 0;
  // This node (SPEC §7): "single" (SQLite), "active" or "standby" (PostgreSQL).
  std::string node_role = "single";
  std::optional<std::string> advertise_url;
  std::optional<unix_seconds> active_since;
};

}  // namespace vgls::protocol
