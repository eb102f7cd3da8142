// Seats, used and free per edition over the pools that grant now (state active), as the status
// page's totals table shows them; the same sums as the vgls_edition_seats / vgls_edition_used
// metrics (SPEC §13). Pure function, safe from any thread.
#pragma once

#include <cstdint>
#include <vector>

#include "protocol/pool.h"

namespace vgls::server {

struct edition_total {
  protocol::edition edition = protocol::edition::vapp;
  std::int64_t pools = 0;  // active pools of this edition
  std::int64_t seats = 0;
  std::int64_t used = 0;
  // The sum of each pool's free seats (seats - used, never below 0: seats may be lowered below
  // use), so one over-full pool does not hide another's free seats.
  std::int64_t free = 0;
};

// One row per edition that has a pool (active or not), in the order of protocol::all_editions.
// Ended and not-yet-started pools count towards no total: they grant nothing.
std::vector<edition_total> edition_totals(const std::vector<protocol::pool_view>& pools);

}  // namespace vgls::server
