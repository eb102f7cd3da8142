// Pool administration (SPEC §2 admin routes) and the pools made at start-up: the trial, once per
// database, and the declared [[pool]] entries of the configuration.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "protocol/pool_rules.h"
#include "storage/engine/engine.h"

namespace vgls::storage {

namespace {

using protocol::error_code;
using protocol::status;

status pool_not_found(std::string_view id) {
  return status::error(error_code::pool_not_found, "no pool with id '" + std::string(id) + "'");
}

nlohmann::json optional_time(const std::optional<protocol::unix_seconds>& t) {
  return t ? nlohmann::json(protocol::format_rfc3339(*t)) : nlohmann::json(nullptr);
}

// A broken pool rule as the answer's error: "seats: must be an integer from 0 to 10000000".
status rule_broken(const protocol::pool_rule_violation& broken) {
  return status::invalid(
      broken.field, broken.field.empty() ? broken.reason : broken.field + ": " + broken.reason);
}

// The window and seats of a pool must make sense whatever the request path.
status check_whole_pool(const protocol::pool& pool) {
  if (auto broken = protocol::check_pool(pool)) {
    return rule_broken(*broken);
  }
  return status::ok();
}

}  // namespace

std::vector<protocol::pool_view> engine::list_pools() {
  std::vector<protocol::pool_view> views;
  views.reserve(index_.pools().size());
  for (const auto& [id, pool] : index_.pools()) {
    views.push_back(view_of(pool));
  }
  return views;
}

protocol::result<protocol::pool_view> engine::get_pool(const std::string& pool_id) {
  const pool_entry* pool = index_.find_pool(pool_id);
  if (pool == nullptr) {
    return pool_not_found(pool_id);
  }
  return view_of(*pool);
}

protocol::result<protocol::pool_view> engine::create_pool(
    const protocol::pool_create_request& request, std::string_view source, std::string_view actor) {
  if (auto broken = protocol::check_pool_fields(request)) {
    return rule_broken(*broken);
  }
  if (index_.find_pool(request.id) != nullptr) {
    return status::error(error_code::pool_exists, "a pool with id '" + request.id + "' exists",
                         "id");
  }
  protocol::pool pool = protocol::resolve_pool(request, batch_now_);
  if (auto checked = check_whole_pool(pool); !checked) {
    return checked;
  }
  changes_.pool_put(pool, batch_now_);
  record_event(protocol::event_type::pool_created, pool.id, std::nullopt, std::nullopt,
               pool.edition,
               {{"seats", pool.seats},
                {"kind", protocol::to_string(pool.kind)},
                {"starts_at", protocol::format_rfc3339(pool.starts_at)},
                {"expires_at", optional_time(pool.expires_at)},
                {"source", source},
                {"actor", actor}});
  return view_of(index_.add_pool(std::move(pool)));
}

protocol::result<protocol::pool_view> engine::update_pool(const std::string& pool_id,
                                                          const protocol::pool_patch_request& patch,
                                                          std::string_view actor) {
  pool_entry* entry = index_.find_pool(pool_id);
  if (entry == nullptr) {
    return pool_not_found(pool_id);
  }
  protocol::pool updated = entry->pool;
  nlohmann::json changes = nlohmann::json::object();
  if (patch.seats && *patch.seats != updated.seats) {
    changes["seats"] = {{"from", updated.seats}, {"to", *patch.seats}};
    updated.seats = *patch.seats;
  }
  if (patch.starts_at && *patch.starts_at != updated.starts_at) {
    changes["starts_at"] = {{"from", protocol::format_rfc3339(updated.starts_at)},
                            {"to", protocol::format_rfc3339(*patch.starts_at)}};
    updated.starts_at = *patch.starts_at;
  }
  if (patch.expires_at && patch.expires_at != updated.expires_at) {
    changes["expires_at"] = {{"from", optional_time(updated.expires_at)},
                             {"to", protocol::format_rfc3339(*patch.expires_at)}};
    updated.expires_at = patch.expires_at;
  }
  if (auto checked = check_whole_pool(updated); !checked) {
    return checked;
  }
  if (!changes.empty()) {
    // An existing row keeps its created_at: the backends' upsert does not change it.
    changes_.pool_put(updated, batch_now_);
    changes["actor"] = actor;
    record_event(protocol::event_type::pool_updated, updated.id, std::nullopt, std::nullopt,
                 updated.edition, changes);
    // Seats below `used` are allowed: no lease is cut; checkouts wait until used < seats.
    entry->pool = std::move(updated);
  }
  return view_of(*entry);
}

protocol::result<done> engine::delete_pool(const std::string& pool_id, bool force,
                                           std::string_view actor) {
  pool_entry* entry = index_.find_pool(pool_id);
  if (entry == nullptr) {
    return pool_not_found(pool_id);
  }
  const auto used = entry->used(batch_now_);
  if (used > 0 && !force) {
    return status::error(error_code::pool_in_use,
                         "pool '" + pool_id + "' has " + std::to_string(used) +
                             " active leases; release them or delete with force=true");
  }
  const std::string revoked_detail = nlohmann::json{{"by", "pool_deleted"}, {"actor", actor}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  // Copy first: ending a lease edits the set being walked.
  std::vector<lease_ref> leases;
  leases.reserve(entry->leases_by_expiry.size());
  for (const auto& [expires_at, lease] : entry->leases_by_expiry) {
    leases.push_back(lease);
  }
  for (lease_ref lease : leases) {
    if (lease_index::is_active(lease->second, batch_now_)) {
      end_lease(lease, protocol::event_type::lease_revoked, revoked_detail);
    } else {
      end_lease(lease, protocol::event_type::lease_expired, R"({"reason":"lease_expired"})");
      ++leases_expired_total_;
    }
  }
  const auto edition = entry->pool.edition;
  changes_.pool_deleted(pool_id);
  record_event(protocol::event_type::pool_deleted, pool_id, std::nullopt, std::nullopt, edition,
               {{"force", force}, {"revoked", used}, {"actor", actor}});
  index_.remove_pool(pool_id);
  notices_.pool_removed(pool_id);
  return done{};
}

void engine::create_trial_pools_once() {
  if (meta_value("first_start")) {
    return;  // never again, even if the trial pools were deleted
  }
  set_meta("first_start", std::to_string(batch_now_));
  if (!options_.trial.enabled) {
    spdlog::info("first start of this database; trial disabled, no trial pools created");
    return;
  }
  const std::pair<const char*, protocol::edition> trial_pools[] = {
      {"trial-vapp", protocol::edition::vapp},
      {"trial-vpc", protocol::edition::vpc},
      {"trial-vws", protocol::edition::vws},
      {"trial-vcs", protocol::edition::vcs}};
  for (const auto& [id, edition] : trial_pools) {
    protocol::pool_create_request request;
    request.id = id;
    request.edition = edition;
    request.seats = options_.trial.seats;
    request.kind = protocol::pool_kind::trial;
    request.starts_at = batch_now_;
    request.expires_at = batch_now_ + options_.trial.days * protocol::seconds_per_day;
    if (index_.find_pool(id) != nullptr) {
      continue;
    }
    if (auto created = create_pool(request, "trial", "trial"); !created) {
      spdlog::error("could not create trial pool {}: {}", id, created.error().to_string());
    }
  }
  spdlog::info(
      "first start of this database: created trial pools ({} seats each, expiring {})",
      options_.trial.seats,
      protocol::format_rfc3339(batch_now_ + options_.trial.days * protocol::seconds_per_day));
}

protocol::status engine::apply_declared_pools() {
  for (const auto& declared : options_.declared_pools) {
    if (auto ended = protocol::declared_pool_ended(declared, batch_now_)) {
      spdlog::warn("declared pool {} {}", declared.id, *ended);
      continue;
    }
    pool_entry* existing = index_.find_pool(declared.id);
    if (existing == nullptr) {
      if (auto created = create_pool(declared, "config", "config"); !created) {
        return status::invalid("pool", "declared pool " + declared.id +
                                           " cannot be created: " + created.error().message() +
                                           "; fix it in the configuration");
      }
      spdlog::info("declared pool {} created", declared.id);
      continue;
    }
    if (existing->pool.edition != declared.edition || existing->pool.kind != declared.kind) {
      spdlog::warn(
          "declared pool {} differs in edition or kind from the stored pool; only seats and dates "
          "are brought in line. Delete the pool to recreate it with the new edition or kind",
          declared.id);
    }
    // Only what the configuration states explicitly is compared: `days` and a missing starts_at
    // would resolve differently at every start and must not move the pool each time.
    protocol::pool_patch_request patch;
    patch.seats = declared.seats;
    patch.starts_at = declared.starts_at;
    patch.expires_at = declared.expires_at;
    if (auto updated = update_pool(declared.id, patch, "config"); !updated) {
      return status::invalid("pool",
                             "declared pool " + declared.id + " cannot be brought in line: " +
                                 updated.error().message() + "; fix it in the configuration");
    }
  }
  return status::ok();
}

}  // namespace vgls::storage
