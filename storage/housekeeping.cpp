// The store's own work, done inside a transaction on the store's thread: the clock's high-water
// mark, closing usage minutes, sweeping expired leases, and retention.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/sqlite_store_impl.h"
#include "storage/store_statements.h"

namespace vgls::storage {

namespace {

// SPEC §1 rule 6: a clock more than five minutes behind what we have seen is a rollback.
constexpr protocol::unix_seconds rollback_tolerance = 300;

}  // namespace

void sqlite_store::advance_clock() {
  const protocol::unix_seconds wall = clock_->now();
  protocol::unix_seconds high_water = high_water_.load();
  if (wall > high_water) {
    high_water = wall;
    high_water_.store(high_water);
  }
  if (high_water > persisted_high_water_) {
    set_meta("clock_high_water", std::to_string(high_water));
    persisted_high_water_ = high_water;
  }
  const bool behind = high_water - wall > rollback_tolerance;
  if (behind && !clock_rollback_.load()) {
    clock_rollback_.store(true);
    spdlog::error(
        "the system clock ({}) is {} s behind the latest time this server has seen ({}); expiry "
        "keeps using that later time, so nothing is extended. Fix the clock (NTP); this clears "
        "itself once the clock catches up",
        protocol::format_rfc3339(wall), high_water - wall, protocol::format_rfc3339(high_water));
    record_event(protocol::event_type::clock_rollback, std::nullopt, std::nullopt, std::nullopt,
                 std::nullopt,
                 {{"wall_clock", protocol::format_rfc3339(wall)},
                  {"high_water", protocol::format_rfc3339(high_water)},
                  {"behind_seconds", high_water - wall}});
  } else if (!behind && clock_rollback_.load()) {
    clock_rollback_.store(false);
    spdlog::warn(
        "the system clock is back within {} s of the high-water mark; clock warning cleared",
        rollback_tolerance);
  }
  batch_now_ = high_water;
}

std::array<std::int64_t, 4> sqlite_store::active_per_edition() const {
  std::array<std::int64_t, 4> active{};
  for (const auto& [id, pool] : index_.pools()) {
    active[static_cast<std::size_t>(pool.pool.edition)] += pool.used(batch_now_);
  }
  return active;
}

std::int64_t sqlite_store::seats_of(protocol::edition edition, protocol::unix_seconds at) const {
  std::int64_t seats = 0;
  for (const auto& [id, pool] : index_.pools()) {
    if (pool.pool.edition == edition &&
        protocol::state_at(pool.pool, at) == protocol::pool_state::active) {
      seats += pool.pool.seats;
    }
  }
  return seats;
}

void sqlite_store::flush_usage_minute(protocol::unix_seconds minute_end) {
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
    const auto name = protocol::to_string(edition);
    const auto seats = seats_of(edition, std::max(seats_at, start));
    sql_->add_usage_minute.with(start, name, counts.peak_used, seats, counts.granted, counts.denied)
        .run();
    sql_->add_usage_hour.with(hour, name, counts.peak_used, seats, counts.granted, counts.denied)
        .run();
    sql_->add_usage_day.with(day, name, counts.peak_used, seats, counts.granted, counts.denied)
        .run();
  }
}

void sqlite_store::roll_usage_minute() {
  if (!usage_.minute_closed(batch_now_)) {
    return;
  }
  flush_usage_minute(usage_.minute_start() + usage_recorder::minute);
  // Minutes in between with no request at all (the sweeper runs every second, so only when the
  // process was stalled) are not written; the report shows them as zeros.
  usage_.start(batch_now_, active_per_edition());
}

bool sqlite_store::sweep(std::size_t budget) {
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
      sql_->insert_ending.with(item.lease->first, item.lease->second.pool->pool.id, batch_now_)
          .run();
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

bool sqlite_store::apply_retention() {
  const auto event_cutoff = batch_now_ - options_.retention.events_days * protocol::seconds_per_day;
  const auto usage_cutoff = batch_now_ - options_.retention.usage_days * protocol::seconds_per_day;
  // Event times never decrease (they use the high-water clock), so old events are a prefix by id;
  // delete it in bounded chunks so that this never holds the writer for long.
  auto delete_events = db_->prepare(
      "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT 5000) AND at < ?1");
  delete_events.with(event_cutoff).run();
  const auto deleted_events = db_->changes();
  if (deleted_events > 0) {
    // Ids only grow: a restart must not reuse the ids of deleted events, the newest included.
    set_meta("last_event_id", std::to_string(last_event_id_));
  }
  const bool more_events = deleted_events == 5000;
  auto delete_endings = db_->prepare("DELETE FROM lease_endings WHERE ended_at < ?1");
  delete_endings.with(event_cutoff).run();
  for (const char* table : {"usage_minute", "usage_hour", "usage_day"}) {
    auto delete_usage = db_->prepare(std::string("DELETE FROM ") + table + " WHERE start < ?1");
    delete_usage.with(usage_cutoff).run();
  }
  return more_events;
}

}  // namespace vgls::storage
