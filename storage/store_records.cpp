// Writing and reading the store's rows: events, pools, and the answer forms of leases and pools.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "storage/sqlite_store_impl.h"
#include "storage/store_statements.h"

namespace vgls::storage {

std::int64_t sqlite_store::record_event(std::string_view type,
                                        std::optional<std::string_view> pool_id,
                                        std::optional<std::string_view> lease_id,
                                        std::optional<std::string_view> client_id,
                                        std::optional<protocol::edition> edition,
                                        const nlohmann::json& detail) {
  // `replace`: a detail never makes the write fail over an odd byte.
  const std::string detail_text =
      detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return record_event_text(type, pool_id, lease_id, client_id, edition, detail_text);
}

std::int64_t sqlite_store::record_event_text(std::string_view type,
                                             std::optional<std::string_view> pool_id,
                                             std::optional<std::string_view> lease_id,
                                             std::optional<std::string_view> client_id,
                                             std::optional<protocol::edition> edition,
                                             std::string_view detail_json) {
  // Every text outlives `run()`, which resets the statement and clears its bindings.
  auto& insert = sql_->insert_event;
  insert.bind(1, batch_now_);
  insert.bind_static(2, type);
  insert.bind_static(3, pool_id);
  insert.bind_static(4, lease_id);
  insert.bind_static(5, client_id);
  insert.bind_static(
      6, edition ? std::optional<std::string_view>(protocol::to_string(*edition)) : std::nullopt);
  insert.bind_static(7, detail_json);
  // Ids are assigned here, above every id ever used (see load_state and apply_retention).
  insert.bind(8, last_event_id_ + 1);
  insert.run();
  return ++last_event_id_;
}

std::string_view sqlite_store::rfc3339(protocol::unix_seconds t) {
  if (formatted_time_text_.empty() || t != formatted_time_) {
    formatted_time_text_ = protocol::format_rfc3339(t);
    formatted_time_ = t;
  }
  return formatted_time_text_;
}

void sqlite_store::write_pool(const protocol::pool& pool, bool insert) {
  if (insert) {
    sql_->insert_pool
        .with(pool.id, protocol::to_string(pool.edition), pool.seats,
              protocol::to_string(pool.kind), pool.starts_at, pool.expires_at, batch_now_)
        .run();
  } else {
    sql_->update_pool.with(pool.id, pool.seats, pool.starts_at, pool.expires_at).run();
  }
}

void sqlite_store::end_lease(lease_ref lease, std::string_view type, std::string_view detail_json) {
  const lease_record& record = lease->second;
  sql_->delete_lease.with(record.seq).run();
  record_event_text(type, record.pool->pool.id, lease->first, record.client_id,
                    record.granted_edition, detail_json);
  index_.remove_lease(lease);
}

protocol::pool_view sqlite_store::view_of(const pool_entry& pool) const {
  protocol::pool_view view;
  view.pool = pool.pool;
  view.used = pool.used(batch_now_);
  view.state = protocol::state_at(pool.pool, batch_now_);
  view.days_left = protocol::days_left_at(pool.pool, batch_now_);
  return view;
}

protocol::lease sqlite_store::lease_view(lease_ref lease) const {
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
  return view;
}

void sqlite_store::load_self_description(protocol::lease& lease, std::int64_t seq) {
  auto& query = sql_->select_self_description.with(seq);
  if (!query.step()) {
    return;
  }
  lease.hostname = query.optional_text(0);
  lease.vgpu_profile = query.optional_text(1);
  const std::string labels_text = query.text(2);
  if (labels_text != "{}") {  // the common case, without a parse
    const auto labels = nlohmann::json::parse(labels_text, nullptr, false);
    if (labels.is_object()) {
      for (const auto& [key, value] : labels.items()) {
        if (value.is_string()) {
          lease.labels.emplace(key, value.get<std::string>());
        }
      }
    }
  }
  lease.client_clock_skew_seconds = query.optional_int64(3);
  query.reset();
}

}  // namespace vgls::storage
