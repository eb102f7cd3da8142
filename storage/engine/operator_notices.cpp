#include "storage/engine/operator_notices.h"

#include <spdlog/spdlog.h>

namespace vgls::storage {

namespace {

std::string_view advice_for(protocol::error_code code) {
  switch (code) {
    case protocol::error_code::no_seat_available:
      return "add seats (vglsctl pool set POOL --seats N) or a pool, or find idle leases "
             "(vglsctl lease list)";
    case protocol::error_code::license_expired:
      return "renew the pools of this edition (vglsctl pool set POOL --expires-at DATE) or add "
             "a pool";
    case protocol::error_code::no_pool_for_edition:
      return "add a pool of this edition (vglsctl pool add), or point these VMs at the edition "
             "they are licensed for";
    default:
      return "see the events (vglsctl events --type lease.denied)";
  }
}

}  // namespace

void operator_notices::denied(protocol::edition requested, const protocol::status& why,
                              protocol::unix_seconds now) {
  denial_count& counts = denials_[{requested, why.code()}];
  ++counts.count;
  counts.example = why.message();
  if (counts.last_logged == 0 || now - counts.last_logged >= denial_interval) {
    log_denials(requested, why.code(), counts);
    counts.last_logged = now;
  }
}

void operator_notices::flush_denials(protocol::unix_seconds now) {
  for (auto& [key, counts] : denials_) {
    if (counts.count > 0 && now - counts.last_logged >= denial_interval) {
      log_denials(key.first, key.second, counts);
      counts.last_logged = now;
    }
  }
}

void operator_notices::log_denials(protocol::edition edition, protocol::error_code code,
                                   denial_count& counts) {
  spdlog::warn("{} checkout{} for {} refused with {} since the last report ({}); {}", counts.count,
               counts.count == 1 ? "" : "s", protocol::to_string(edition),
               protocol::to_string(code), counts.example, advice_for(code));
  counts.count = 0;
}

void operator_notices::seats_taken(const protocol::pool& pool, std::int64_t used) {
  if (used < pool.seats || full_.contains(pool.id)) {
    return;
  }
  full_.insert(pool.id);
  spdlog::warn(
      "pool {} ({}) is full: all {} seats are in use; further {} checkouts go to other pools or "
      "are refused. Add seats with `vglsctl pool set {} --seats N`, or find idle leases with "
      "`vglsctl lease list --pool {}`",
      pool.id, protocol::to_string(pool.edition), pool.seats, protocol::to_string(pool.edition),
      pool.id, pool.id);
}

void operator_notices::review(const protocol::pool& pool, std::int64_t used,
                              protocol::unix_seconds now) {
  if (auto full = full_.find(pool.id); full != full_.end() && used < pool.seats) {
    full_.erase(full);
    spdlog::info("pool {} ({}) has free seats again ({} of {} in use)", pool.id,
                 protocol::to_string(pool.edition), used, pool.seats);
  }
  if (!pool.expires_at) {
    return;
  }
  const auto end = *pool.expires_at;
  if (now >= end) {
    if (ended_.insert(pool.id).second) {
      spdlog::error(
          "pool {} ({}, {} seats) ended at {}: it grants no more seats and its leases have "
          "ended. Extend it with `vglsctl pool set {} --expires-at DATE`, or remove it with "
          "`vglsctl pool rm {}`",
          pool.id, protocol::to_string(pool.edition), pool.seats, protocol::format_rfc3339(end),
          pool.id, pool.id);
    }
    return;
  }
  ended_.erase(std::string(pool.id));
  if (end - now > ending_warning || now < pool.starts_at) {
    next_ending_warning_.erase(std::string(pool.id));
    return;
  }
  auto [next, first] = next_ending_warning_.try_emplace(pool.id, now);
  if (now < next->second) {
    return;
  }
  next->second = now + protocol::seconds_per_day;
  const auto days = (end - now) / protocol::seconds_per_day;
  spdlog::warn(
      "pool {} ({}, {} seats, {} in use) ends at {}, in {} day{}; after that it grants nothing "
      "and its leases end. Extend it with `vglsctl pool set {} --expires-at DATE`",
      pool.id, protocol::to_string(pool.edition), pool.seats, used, protocol::format_rfc3339(end),
      days, days == 1 ? "" : "s", pool.id);
}

void operator_notices::pool_removed(std::string_view id) {
  if (auto it = full_.find(id); it != full_.end()) {
    full_.erase(it);
  }
  if (auto it = ended_.find(id); it != ended_.end()) {
    ended_.erase(it);
  }
  if (auto it = next_ending_warning_.find(id); it != next_ending_warning_.end()) {
    next_ending_warning_.erase(it);
  }
}

void operator_notices::reset() {
  full_.clear();
  ended_.clear();
  next_ending_warning_.clear();
}

}  // namespace vgls::storage
