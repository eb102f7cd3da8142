// The check every fault test ends with (SPEC §1 rules 5–6): every lease the load holds renews by
// its id, no lease it released came back, and pool "p" holds what the load holds (plus `own`
// leases the test took itself), plus at most the checkouts whose answer was lost, and never more
// than `seats` when given. Catch assertions; for test code only.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>

#include "tests/server/e2e_steps.h"
#include "tests/support/checkout_load.h"
#include "tests/support/vglsd_process.h"

namespace vgls::testing {

inline ledger_check check_held_and_seats(vglsd_process& server, const checkout_load& load,
                                         std::optional<std::int64_t> seats = std::nullopt,
                                         std::int64_t own = 0) {
  const auto ledger = check_ledger(server.url(), load);
  CHECK(ledger.not_renewed == 0);
  CHECK(ledger.came_back == 0);
  const auto used = used_of(*server.admin_client(), "p");
  const auto held = static_cast<std::int64_t>(load.held().size()) + own;
  CHECK(used >= held);
  CHECK(used <= held + load.unanswered());
  if (seats) {
    CHECK(used <= *seats);
  }
  return ledger;
}

}  // namespace vgls::testing
