#include "storage/engine/usage_report.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace vgls::storage {

namespace {

using protocol::status;

protocol::unix_seconds align(protocol::unix_seconds t, std::int64_t bucket) {
  return t - (((t % bucket) + bucket) % bucket);
}

}  // namespace

protocol::result<usage_plan> plan_usage_report(const protocol::usage_query& query,
                                               protocol::unix_seconds now) {
  const auto bucket = query.bucket_seconds;
  if (bucket != 60 && bucket != 300 && bucket != 900 && bucket != 3600 && bucket != 21600 &&
      bucket != 86400) {
    return status::invalid("bucket", "bucket: must be one of 1m, 5m, 15m, 1h, 6h, 1d");
  }
  if (query.to < query.from) {
    return status::invalid("from", "from: must not be later than to");
  }
  // Buckets are aligned to multiples of their length since the epoch (UTC midnight for 1d); the
  // first is the one containing `from`; `to` is exclusive; nothing after now is reported.
  usage_plan plan;
  plan.bucket = bucket;
  plan.first = align(query.from, bucket);
  plan.end = std::min(query.to, now + 1);
  plan.edition = query.edition;
  const std::int64_t bucket_count =
      plan.end > plan.first ? (plan.end - plan.first + bucket - 1) / bucket : 0;
  const std::int64_t editions = query.edition ? 1 : 4;
  if (bucket_count * editions > max_usage_rows) {
    return status::invalid("from", "the period holds " + std::to_string(bucket_count * editions) +
                                       " rows; ask for at most " + std::to_string(max_usage_rows) +
                                       " (a shorter period or a larger bucket)");
  }
  // The coarsest grain that divides the bucket.
  plan.grain = bucket % 86400 == 0  ? usage_grain::day
               : bucket % 3600 == 0 ? usage_grain::hour
                                    : usage_grain::minute;
  return plan;
}

std::vector<protocol::usage_bucket> assemble_usage_report(const usage_plan& plan,
                                                          const std::vector<usage_row>& rows) {
  struct aggregate {
    std::int64_t peak_used = 0;
    std::int64_t granted = 0;
    std::int64_t denied = 0;
    std::int64_t seats = 0;
    protocol::unix_seconds seats_at = -1;  // start of the row that gave `seats`
  };
  std::map<std::pair<protocol::unix_seconds, protocol::edition>, aggregate> buckets;
  auto merge = [&](protocol::unix_seconds start, protocol::edition edition, std::int64_t peak,
                   std::int64_t seats, std::int64_t granted, std::int64_t denied) {
    aggregate& a = buckets[{align(start, plan.bucket), edition}];
    a.peak_used = std::max(a.peak_used, peak);
    a.granted += granted;
    a.denied += denied;
    if (start >= a.seats_at) {
      a.seats = seats;
      a.seats_at = start;
    }
  };
  for (const usage_row& row : rows) {
    merge(row.start, row.edition, row.peak_used, row.seats, row.granted, row.denied);
  }
  if (plan.open && plan.open->start >= plan.first && plan.open->start < plan.end) {
    for (protocol::edition edition : protocol::all_editions) {
      if (plan.edition && *plan.edition != edition) {
        continue;
      }
      const auto i = static_cast<std::size_t>(edition);
      const usage_counts& counts = plan.open->counts[i];
      merge(plan.open->start, edition, counts.peak_used, plan.open->seats[i], counts.granted,
            counts.denied);
    }
  }

  // Dense: every bucket and edition, zeros where nothing was recorded (the server was down).
  std::vector<protocol::usage_bucket> answer;
  for (auto start = plan.first; start < plan.end; start += plan.bucket) {
    for (protocol::edition edition : protocol::all_editions) {
      if (plan.edition && *plan.edition != edition) {
        continue;
      }
      protocol::usage_bucket row;
      row.start = start;
      row.edition = edition;
      if (auto found = buckets.find({start, edition}); found != buckets.end()) {
        row.peak_used = found->second.peak_used;
        row.seats = found->second.seats;
        row.granted = found->second.granted;
        row.denied = found->second.denied;
      }
      answer.push_back(row);
    }
  }
  return answer;
}

}  // namespace vgls::storage
