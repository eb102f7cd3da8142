// Checkout, renew, release and get: the client operations (SPEC §1 rules 1-4, §2 client routes).
// Every decision is taken against the in-memory index, so an operation that fails changes nothing
// (a denial only records its lease.denied event).
#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "protocol/validation.h"
#include "storage/engine/engine.h"
#include "storage/engine/lease_id.h"
#include "storage/engine/pool_choice.h"

namespace vgls::storage {

namespace {

using protocol::error_code;
using protocol::status;

// Event details of the hot lease events, written as nlohmann's dump() would write them: keys in
// sorted order, no spaces. Every value is an edition name, an RFC 3339 time or a fixed word, none
// of which needs escaping.
void append_field(std::string& out, std::string_view key, std::string_view text) {
  out += out.empty() ? "{\"" : ",\"";
  out += key;
  out += "\":\"";
  out += text;
  out += '"';
}

std::string_view granted_detail(std::string& out, protocol::edition requested, bool upgraded,
                                std::string_view expires_text) {
  out.clear();
  append_field(out, "expires_at", expires_text);
  append_field(out, "requested_edition", protocol::to_string(requested));
  out += upgraded ? ",\"upgraded\":true}" : ",\"upgraded\":false}";
  return out;
}

std::string_view renewed_detail(std::string& out, std::string_view expires_text) {
  out.clear();
  append_field(out, "expires_at", expires_text);
  out += '}';
  return out;
}

std::string_view renewed_by_checkout_detail(std::string& out, protocol::edition requested,
                                            std::string_view expires_text) {
  out.clear();
  append_field(out, "expires_at", expires_text);
  append_field(out, "requested_edition", protocol::to_string(requested));
  append_field(out, "via", "checkout");
  out += '}';
  return out;
}

std::string_view replaced_detail(std::string& out, protocol::edition requested) {
  out.clear();
  append_field(out, "reason", "replaced");
  append_field(out, "requested_edition", protocol::to_string(requested));
  out += '}';
  return out;
}

status lease_not_found(std::string_view id) {
  return status::error(error_code::lease_not_found,
                       "no active lease '" + std::string(id) +
                           "' (it never existed, or was released, revoked or expired); check out "
                           "again");
}

status lease_ended_by_pool(std::string_view id, std::string_view pool_id) {
  return status::error(error_code::license_expired, "lease '" + std::string(id) +
                                                        "' ended because its pool '" +
                                                        std::string(pool_id) + "' expired");
}

}  // namespace

protocol::result<checkout_outcome> engine::checkout(const protocol::checkout_request& request) {
  const auto now = batch_now_;
  const bool allow_upgrade = options_.leases.allow_upgrade;
  const std::optional<std::int64_t> skew =
      request.client_time ? std::optional<std::int64_t>(*request.client_time - now) : std::nullopt;

  lease_ref held = index_.find_client_lease(request.client_id);
  if (held != nullptr && !lease_index::is_active(held->second, now)) {
    held = nullptr;  // expired: the sweeper removes it; the client holds nothing now
  }

  // Rule 4: the lease the client already holds, when it satisfies the request, is renewed, and
  // what the client now says of itself replaces what it said before.
  if (held != nullptr &&
      protocol::satisfies(held->second.granted_edition, request.requested_edition, allow_upgrade)) {
    lease_record& record = held->second;
    const auto pool_end = record.pool->pool.expires_at;
    auto expires_at = now + options_.leases.duration_seconds;
    if (pool_end) {
      expires_at = std::min(expires_at, *pool_end);
    }
    record.requested_edition = request.requested_edition;
    record.renewed_at = now;
    record.vgpu_profile = request.vgpu_profile;
    record.labels = request.labels;
    if (skew) {
      record.client_clock_skew = skew;  // an earlier skew stays when this request has none
    }
    index_.set_hostname(held, request.hostname);
    index_.set_expiry(held, expires_at);
    changes_.lease_updated(held);
    record_event_text(
        protocol::event_type::lease_renewed, record.pool->pool.id, held->first, record.client_id,
        record.granted_edition,
        renewed_by_checkout_detail(detail_buffer_, request.requested_edition, rfc3339(expires_at)));
    usage_.observe(record.granted_edition, index_.active_leases(now, record.granted_edition));
    checkout_outcome outcome;
    outcome.lease = lease_view(held);
    outcome.created = false;
    return outcome;
  }

  // Rule 3: choose a pool.
  std::vector<pool_candidate> candidates;
  std::vector<pool_entry*> entries;
  for (auto& [id, pool] : index_.pools()) {
    if (!can_serve(pool.pool.edition, request.requested_edition, allow_upgrade)) {
      continue;
    }
    candidates.push_back({.id = pool.pool.id,
                          .edition = pool.pool.edition,
                          .seats = pool.pool.seats,
                          .used = pool.used(now),
                          .starts_at = pool.pool.starts_at,
                          .expires_at = pool.pool.expires_at});
    entries.push_back(&pool);
  }
  auto chosen = choose_pool(candidates, request.requested_edition, allow_upgrade, now);
  if (!chosen) {
    usage_.on_denied(request.requested_edition);
    notices_.denied(request.requested_edition, chosen.error(), now);
    record_event(protocol::event_type::lease_denied, std::nullopt, std::nullopt, request.client_id,
                 request.requested_edition,
                 {{"requested_edition", protocol::to_string(request.requested_edition)},
                  {"reason", protocol::to_string(chosen.error().code())}});
    return chosen.error();
  }
  pool_entry& pool = *entries[*chosen];

  // Rule 4, second half: a lease that does not satisfy the request is released in this same
  // transaction, only now that a seat is certain.
  if (held != nullptr) {
    end_lease(held, protocol::event_type::lease_released,
              replaced_detail(detail_buffer_, request.requested_edition));
  }

  auto expires_at = now + options_.leases.duration_seconds;
  if (pool.pool.expires_at) {
    expires_at = std::min(expires_at, *pool.pool.expires_at);
  }
  lease_record record;
  record.seq = ++last_lease_seq_;
  record.client_id = request.client_id;
  record.pool = &pool;
  record.requested_edition = request.requested_edition;
  record.granted_edition = pool.pool.edition;
  record.issued_at = now;
  record.renewed_at = now;
  record.expires_at = expires_at;
  record.hostname = request.hostname;
  record.vgpu_profile = request.vgpu_profile;
  record.labels = request.labels;
  record.client_clock_skew = skew;

  lease_ref lease = index_.add_lease(new_lease_id(), std::move(record));
  changes_.lease_inserted(lease);
  record_event_text(
      protocol::event_type::lease_granted, pool.pool.id, lease->first, request.client_id,
      pool.pool.edition,
      granted_detail(detail_buffer_, request.requested_edition,
                     pool.pool.edition != request.requested_edition, rfc3339(expires_at)));
  const auto used = pool.used(now);
  usage_.on_granted(pool.pool.edition, index_.active_leases(now, pool.pool.edition));
  notices_.seats_taken(pool.pool, used);

  checkout_outcome outcome;
  outcome.lease = lease_view(lease);
  outcome.created = true;
  return outcome;
}

protocol::result<protocol::lease> engine::renew(const std::string& lease_id,
                                                const protocol::renew_request& request) {
  const auto now = batch_now_;
  lease_ref lease = index_.find_lease(lease_id);
  if (lease == nullptr) {
    if (!protocol::is_valid_lease_id(lease_id)) {
      return lease_not_found(lease_id);
    }
    auto ending = changes_.ending_of(lease_id);
    if (!ending) {
      ending = lookups_.find_lease_ending(lease_id);
    }
    if (ending) {
      return lease_ended_by_pool(lease_id, *ending);
    }
    return lease_not_found(lease_id);
  }
  lease_record& record = lease->second;
  if (!lease_index::is_active(record, now)) {
    const auto& pool = record.pool->pool;
    if (pool.expires_at && *pool.expires_at <= now && *pool.expires_at <= record.expires_at) {
      return lease_ended_by_pool(lease_id, pool.id);
    }
    return lease_not_found(lease_id);
  }
  auto expires_at = now + options_.leases.duration_seconds;
  if (record.pool->pool.expires_at) {
    expires_at = std::min(expires_at, *record.pool->pool.expires_at);
  }
  record.renewed_at = now;
  if (request.client_time) {
    record.client_clock_skew = *request.client_time - now;
  }
  index_.set_expiry(lease, expires_at);
  changes_.lease_updated(lease);
  record_event_text(protocol::event_type::lease_renewed, record.pool->pool.id, lease->first,
                    record.client_id, record.granted_edition,
                    renewed_detail(detail_buffer_, rfc3339(expires_at)));
  return lease_view(lease);
}

protocol::result<done> engine::release(const std::string& lease_id, release_kind kind,
                                       std::string_view actor) {
  lease_ref lease = index_.find_lease(lease_id);
  if (lease == nullptr || !lease_index::is_active(lease->second, batch_now_)) {
    return lease_not_found(lease_id);
  }
  if (kind == release_kind::revoked) {
    const std::string detail = nlohmann::json{{"by", "admin"}, {"actor", actor}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
    end_lease(lease, protocol::event_type::lease_revoked, detail);
  } else {
    end_lease(lease, protocol::event_type::lease_released, R"({"by":"client"})");
  }
  return done{};
}

protocol::result<protocol::lease> engine::get_lease(const std::string& lease_id) {
  lease_ref lease = index_.find_lease(lease_id);
  if (lease == nullptr || !lease_index::is_active(lease->second, batch_now_)) {
    return lease_not_found(lease_id);
  }
  return lease_view(lease);
}

}  // namespace vgls::storage
