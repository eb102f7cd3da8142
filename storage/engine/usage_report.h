// The usage report (SPEC §2 /v1/usage) in two halves: a plan made on the store's thread from the
// query and memory (the open minute, which only memory holds), and the assembly of the answer
// from that plan and the stored rows, made on the reader's thread, so that a long report never
// holds up a checkout. Pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/requests.h"
#include "protocol/status.h"
#include "protocol/usage.h"
#include "storage/engine/rows.h"
#include "storage/engine/usage_recorder.h"

namespace vgls::storage {

// The most rows one report may hold (buckets × editions).
inline constexpr std::int64_t max_usage_rows = 100'000;

struct usage_plan {
  std::int64_t bucket = 3600;
  protocol::unix_seconds first = 0;  // the start of the bucket containing `from`
  protocol::unix_seconds end = 0;    // exclusive; never after now
  usage_grain grain = usage_grain::hour;
  std::optional<protocol::edition> edition;
  // The minute still open, when it falls in the report: its counts, and the seats now.
  struct open_minute {
    protocol::unix_seconds start = 0;
    std::array<usage_counts, 4> counts{};
    std::array<std::int64_t, 4> seats{};
  };
  std::optional<open_minute> open;
};

// Checks the query (bucket, from <= to, size) and fixes the range; `now` is the store's time.
protocol::result<usage_plan> plan_usage_report(const protocol::usage_query& query,
                                               protocol::unix_seconds now);

// One row per bucket and edition, ascending, zeros where nothing was recorded.
std::vector<protocol::usage_bucket> assemble_usage_report(const usage_plan& plan,
                                                          const std::vector<usage_row>& rows);

}  // namespace vgls::storage
