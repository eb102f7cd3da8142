// Everything a store needs to know from the configuration (SPEC §3 [leases], [trial], [[pool]]).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "protocol/requests.h"
#include "storage/clock.h"

namespace vgls::storage {

struct lease_policy {
  std::int64_t duration_seconds = 86400;  // 1s … 30d
  double renew_fraction = 0.15;
  bool allow_upgrade = true;
};

struct trial_policy {
  bool enabled = true;
  std::int64_t days = 90;
  std::int64_t seats = 16;
};

struct retention_policy {
  std::int64_t events_days = 400;
  std::int64_t usage_days = 400;
};

struct store_options {
  lease_policy leases;
  trial_policy trial;
  retention_policy retention;
  // [[pool]] entries: created at start if missing; seats and dates brought in line if they differ.
  std::vector<protocol::pool_create_request> declared_pools;
  // Defaults to a system_clock.
  std::shared_ptr<const clock> wall_clock;
  // Upper bound on requests committed in one transaction (group commit).
  std::size_t max_batch = 512;
};

}  // namespace vgls::storage
