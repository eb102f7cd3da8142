// The true-up figures of a usage report (SPEC §13 `vglsctl usage --summary`): per edition, over
// every bucket of the period, the most leases held at once and when that was first reached, the
// seats at the period's end, and the grants and denials summed. Computed from GET /v1/usage's
// buckets, which already count grants by granted and denials by requested edition, so no other
// route is asked. Pure; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/edition.h"
#include "protocol/time.h"
#include "protocol/usage.h"

namespace vgls::ctl {

struct edition_usage {
  protocol::edition edition = protocol::edition::vapp;
  std::int64_t peak_used = 0;
  // Start of the first bucket that reached `peak_used`; nullopt when the edition was never used.
  std::optional<protocol::unix_seconds> peak_at;
  // Seats in active pools at the end of the last bucket: what the installation holds now.
  std::int64_t seats = 0;
  std::int64_t granted = 0;
  std::int64_t denied = 0;
};

// One entry per edition that has buckets, in the order vApp, vPC, vWS, vCS. `buckets` ascending
// by start, as the server answers.
std::vector<edition_usage> summarize_usage(const std::vector<protocol::usage_bucket>& buckets);

}  // namespace vgls::ctl
