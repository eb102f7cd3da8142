// The engine's state: loading it, batches, the clock's high-water mark, meta values, events, and
// the answer forms of leases and pools.
#include "storage/engine/engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "storage/engine/lease_id.h"

namespace vgls::storage {

namespace {

// SPEC §1 rule 6: a clock more than five minutes behind what we have seen is a rollback.
constexpr protocol::unix_seconds rollback_tolerance = 300;

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

engine::engine(const store_options& options, std::shared_ptr<const clock> wall_clock,
               persistence& lookups)
    : options_(options), clock_(std::move(wall_clock)), lookups_(lookups) {
  credentials_.store(std::make_shared<const credentials>());
}

void engine::reset() {
  index_.clear();
  changes_.clear();
  meta_.clear();
  tokens_.clear();
  keys_.clear();
  notices_.reset();
  usage_ = usage_recorder{};
  last_event_id_ = 0;
  last_lease_seq_ = 0;
  persisted_high_water_ = 0;
  loaded_ = false;
  // The published credentials stay until a load replaces them: requests checked meanwhile (while
  // a reload after a failed commit runs) are not refused for want of tokens.
}

void engine::load(persistence& from) {
  reset();
  from.load(*this);
  if (auto high_water = meta_value("clock_high_water")) {
    persisted_high_water_ = parse_int(*high_water).value_or(0);
    if (persisted_high_water_ > high_water_.load()) {
      high_water_.store(persisted_high_water_);
    }
  }
  if (auto last_event = meta_value("last_event_id")) {
    last_event_id_ = std::max(last_event_id_, parse_int(*last_event).value_or(0));
  }
  loaded_ = true;
  credentials_changed_ = true;
  publish_credentials();
}

// --- snapshot_sink

void engine::meta(std::string key, std::string value) {
  meta_.insert_or_assign(std::move(key), std::move(value));
}

void engine::pool(protocol::pool pool) {
  index_.add_pool(std::move(pool));
}

void engine::lease(lease_row row) {
  pool_entry* pool = index_.find_pool(row.pool_id);
  if (pool == nullptr) {
    return;  // cannot happen: deleting a pool deletes its leases in the same transaction
  }
  lease_record record;
  record.seq = row.seq;
  record.client_id = std::move(row.client_id);
  record.pool = pool;
  record.requested_edition = row.requested_edition;
  record.granted_edition = row.granted_edition;
  record.issued_at = row.issued_at;
  record.renewed_at = row.renewed_at;
  record.expires_at = row.expires_at;
  record.hostname = std::move(row.hostname);
  record.vgpu_profile = std::move(row.vgpu_profile);
  record.labels = std::move(row.labels);
  record.client_clock_skew = row.client_clock_skew;
  last_lease_seq_ = std::max(last_lease_seq_, row.seq);
  // Issue order: when a client has two rows (an old one awaiting the sweeper), the newest
  // becomes the one the client holds.
  index_.add_lease(std::move(row.id), std::move(record));
}

void engine::token(token_record token) {
  std::string name = token.name;
  tokens_.insert_or_assign(std::move(name), std::move(token));
}

void engine::signing_key(signing_key_record key) {
  keys_.push_back(std::move(key));
}

void engine::last_event_id(std::int64_t id) {
  last_event_id_ = std::max(last_event_id_, id);
}

// --- batches

void engine::begin_batch() {
  advance_clock();
  roll_usage_minute();
}

void engine::batch_committed() {
  changes_.clear();
  publish_credentials();
}

void engine::advance_clock() {
  const protocol::unix_seconds wall = clock_->now();
  protocol::unix_seconds high_water = high_water_.load();
  if (wall > high_water) {
    high_water = wall;
    high_water_.store(high_water);
  }
  // The batch's time is set before anything below records an event at it.
  batch_now_ = high_water;
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
}

protocol::unix_seconds engine::now() const {
  return std::max(clock_->now(), high_water_.load());
}

void engine::set_meta(std::string_view key, std::string value) {
  changes_.set_meta(key, value);
  meta_.insert_or_assign(std::string(key), std::move(value));
}

std::optional<std::string_view> engine::meta_value(std::string_view key) const {
  auto it = meta_.find(key);
  if (it == meta_.end()) {
    return std::nullopt;
  }
  return std::string_view(it->second);
}

protocol::status engine::start_up(std::string_view storage_description) {
  create_trial_pools_once();
  if (!meta_value("installation_id")) {
    // 144 random bits, as a lease id's; names the installation in the tokens it signs.
    set_meta("installation_id", "vgls_" + new_lease_id().substr(4));
    credentials_changed_ = true;
  }
  if (auto declared = apply_declared_pools(); !declared) {
    return declared;
  }
  record_event(protocol::event_type::server_started, std::nullopt, std::nullopt, std::nullopt,
               std::nullopt,
               {{"leases", index_.lease_count()},
                {"pools", index_.pools().size()},
                {"storage", storage_description}});
  usage_.start(batch_now_, active_per_edition());
  review_pools();
  return protocol::status::ok();
}

store_facts engine::facts() const {
  store_facts facts;
  facts.time = batch_now_;
  facts.clock_high_water = high_water_.load();
  facts.clock_rollback = clock_rollback_.load();
  facts.leases_active = index_.active_leases(batch_now_);
  facts.pools = static_cast<std::int64_t>(index_.pools().size());
  facts.leases_expired_total = leases_expired_total_;
  facts.last_event_id = last_event_id_;
  if (auto first_start = meta_value("first_start")) {
    facts.installed_at = parse_int(*first_start).value_or(0);
  }
  return facts;
}

// --- events and answer forms

std::int64_t engine::record_event(std::string_view type, std::optional<std::string_view> pool_id,
                                  std::optional<std::string_view> lease_id,
                                  std::optional<std::string_view> client_id,
                                  std::optional<protocol::edition> edition,
                                  const nlohmann::json& detail) {
  // `replace`: a detail never makes the write fail over an odd byte.
  const std::string detail_text =
      detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return record_event_text(type, pool_id, lease_id, client_id, edition, detail_text);
}

std::int64_t engine::record_event_text(std::string_view type,
                                       std::optional<std::string_view> pool_id,
                                       std::optional<std::string_view> lease_id,
                                       std::optional<std::string_view> client_id,
                                       std::optional<protocol::edition> edition,
                                       std::string_view detail_json) {
  // Ids are assigned here, above every id ever used, even by events retention has deleted.
  changes_.event(last_event_id_ + 1, batch_now_, type, pool_id, lease_id, client_id, edition,
                 detail_json);
  return ++last_event_id_;
}

std::string_view engine::rfc3339(protocol::unix_seconds t) {
  if (formatted_time_text_.empty() || t != formatted_time_) {
    formatted_time_text_ = protocol::format_rfc3339(t);
    formatted_time_ = t;
  }
  return formatted_time_text_;
}

void engine::end_lease(lease_ref lease, std::string_view type, std::string_view detail_json) {
  const lease_record& record = lease->second;
  record_event_text(type, record.pool->pool.id, lease->first, record.client_id,
                    record.granted_edition, detail_json);
  changes_.lease_deleted(lease);
  index_.remove_lease(lease);
}

protocol::pool_view engine::view_of(const pool_entry& pool) const {
  protocol::pool_view view;
  view.pool = pool.pool;
  view.used = pool.used(batch_now_);
  view.state = protocol::state_at(pool.pool, batch_now_);
  view.days_left = protocol::days_left_at(pool.pool, batch_now_);
  return view;
}

protocol::lease engine::lease_view(lease_ref lease) const {
  const lease_record& record = lease->second;
  protocol::lease view;
  view.id = lease->first;
  view.client_id = record.client_id;
  view.requested_edition = record.requested_edition;
  view.granted_edition = record.granted_edition;
  view.pool_id = record.pool->pool.id;
  view.issued_at = record.issued_at;
  view.renewed_at = record.renewed_at;
  view.expires_at = lease_index::effective_end(record);
  view.ttl_seconds = std::max<std::int64_t>(0, view.expires_at - batch_now_);
  view.renew_after_seconds =
      protocol::renew_after(view.ttl_seconds, options_.leases.renew_fraction);
  view.hostname = record.hostname;
  view.vgpu_profile = record.vgpu_profile;
  view.labels = record.labels;
  view.client_clock_skew_seconds = record.client_clock_skew;
  return view;
}

}  // namespace vgls::storage
