// The engine's own work, done inside a batch on the store's thread: closing usage minutes,
// sweeping expired leases, retention, and the operator's notices about pools.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/engine/engine.h"

namespace vgls::storage {

std::array<std::int64_t, 4> engine::active_per_edition() const {
  std::array<std::int64_t, 4> active{};
  for (const auto& [id, pool] : index_.pools()) {
    active[static_cast<std::size_t>(pool.pool.edition)] += pool.used(batch_now_);
  }
  return active;
}

std::int64_t engine::seats_of(protocol::edition edition, protocol::unix_seconds at) const {
  std::int64_t seats = 0;
  for (const auto& [id, pool] : index_.pools()) {
    if (pool.pool.edition == edition &&
        protocol::state_at(pool.pool, at) == protocol::pool_state::active) {
      seats += pool.pool.seats;
    }
  }
  return seats;
}

void engine::flush_usage_minute(protocol::unix_seconds minute_end) {
  if (!usage_.started()) {
    return;
  }
  const auto start = usage_.minute_start();
  const auto hour = start - (start % 3600);
  const auto day = start - (start % protocol::seconds_per_day);
  // Seats "at the bucket's end": the last second of the minute (or now, for a partial minute).
  const auto seats_at = std::min(minute_end, start + usage_recorder::minute) - 1;
  for (protocol::edition edition : protocol::all_editions) {
    const usage_counts& counts = usage_.counts(edition);
    const auto seats = seats_of(edition, std::max(seats_at, start));
    for (auto [grain, grain_start] :
         {std::pair{usage_grain::minute, start}, std::pair{usage_grain::hour, hour},
          std::pair{usage_grain::day, day}}) {
      changes_.add_usage({.grain = grain,
                          .start = grain_start,
                          .edition = edition,
                          .peak_used = counts.peak_used,
                          .seats = seats,
                          .granted = counts.granted,
                          .denied = counts.denied});
    }
  }
}

void engine::roll_usage_minute() {
  if (!usage_.minute_closed(batch_now_)) {
    return;
  }
  flush_usage_minute(usage_.minute_start() + usage_recorder::minute);
  // Minutes in between with no request at all (the sweeper runs every second, so only when the
  // process was stalled) are not written; the report shows them as zeros.
  usage_.start(batch_now_, active_per_edition());
}

void engine::flush_usage() {
  flush_usage_minute(batch_now_);
}

protocol::result<usage_plan> engine::plan_usage(const protocol::usage_query& query) {
  auto plan = plan_usage_report(query, batch_now_);
  if (!plan) {
    return plan;
  }
  if (usage_.started()) {
    usage_plan::open_minute open;
    open.start = usage_.minute_start();
    for (protocol::edition edition : protocol::all_editions) {
      const auto i = static_cast<std::size_t>(edition);
      open.counts[i] = usage_.counts(edition);
      // The minute still open lives only in memory; its seats are the seats now.
      open.seats[i] = seats_of(edition, batch_now_);
    }
    plan->open = open;
  }
  return plan;
}

bool engine::sweep(std::size_t budget) {
  struct due {
    lease_ref lease;
    bool pool_expired;
  };
  std::vector<due> expired;
  bool more = false;
  for (auto& [id, pool] : index_.pools()) {
    const bool pool_expired = pool.expired(batch_now_);
    for (const auto& [expires_at, lease] : pool.leases_by_expiry) {
      if (!pool_expired && expires_at > batch_now_) {
        break;
      }
      if (expired.size() == budget) {
        more = true;
        break;
      }
      // Ended by the pool when the pool's end came no later than the lease's own.
      expired.push_back({lease, pool_expired && *pool.pool.expires_at <= expires_at});
    }
    if (more) {
      break;
    }
  }
  for (const due& item : expired) {
    if (item.pool_expired) {
      // Lets a late renew answer license_expired instead of lease_not_found.
      changes_.add_lease_ending({item.lease->first, item.lease->second.pool->pool.id, batch_now_});
    }
    end_lease(item.lease, protocol::event_type::lease_expired,
              item.pool_expired ? R"({"reason":"pool_expired"})" : R"({"reason":"lease_expired"})");
    ++leases_expired_total_;
  }
  if (!expired.empty()) {
    spdlog::debug("expired {} leases{}", expired.size(), more ? "; more to do next round" : "");
  }
  return more;
}

void engine::retain() {
  // Event times never decrease (they use the high-water clock), so old events are a prefix by
  // id; the backend deletes them in bounded chunks so that this never holds the writer for long.
  retention_pass pass;
  pass.events_before = batch_now_ - options_.retention.events_days * protocol::seconds_per_day;
  pass.usage_before = batch_now_ - options_.retention.usage_days * protocol::seconds_per_day;
  changes_.retain(pass);
  // Ids only grow: a restart must not reuse the ids of deleted events, the newest included.
  if (meta_value("last_event_id") != std::to_string(last_event_id_)) {
    set_meta("last_event_id", std::to_string(last_event_id_));
  }
}

void engine::review_pools() {
  for (const auto& [id, pool] : index_.pools()) {
    notices_.review(pool.pool, pool.used(batch_now_), batch_now_);
  }
  notices_.flush_denials(batch_now_);
}

}  // namespace vgls::storage
