#include "storage/engine/changeset.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace vgls::storage {

std::string labels_json(const protocol::labels& labels) {
  if (labels.empty()) {
    return "{}";
  }
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [key, value] : labels) {
    object[key] = value;
  }
  // `replace`: a label never makes the write fail over an odd byte (the decoder checked UTF-8).
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void changeset::lease_inserted(lease_ref lease) {
  const auto seq = lease->second.seq;
  lease_positions_[seq] = leases_.size();
  leases_.push_back({lease, true});
}

void changeset::lease_updated(lease_ref lease) {
  const auto seq = lease->second.seq;
  auto [position, added] = lease_positions_.try_emplace(seq, leases_.size());
  if (added) {
    leases_.push_back({lease, false});
  }
}

void changeset::lease_deleted(lease_ref lease) {
  const auto seq = lease->second.seq;
  bool inserted_here = false;
  if (auto position = lease_positions_.find(seq); position != lease_positions_.end()) {
    dirty_lease& entry = leases_[position->second];
    inserted_here = entry.inserted;
    entry.lease = nullptr;
    lease_positions_.erase(position);
  }
  if (!inserted_here) {
    deleted_leases_.push_back(seq);
  }
}

void changeset::pool_put(const protocol::pool& pool, protocol::unix_seconds created_at) {
  pools_.insert_or_assign(pool.id, stored_pool{pool, created_at});
}

void changeset::pool_deleted(std::string_view id) {
  pools_.insert_or_assign(std::string(id), std::nullopt);
}

changeset::text_ref changeset::keep(std::optional<std::string_view> text) {
  if (!text) {
    return {};
  }
  text_ref ref{text_.size(), text->size()};
  text_.append(*text);
  return ref;
}

std::optional<std::string_view> changeset::view(text_ref ref) const {
  if (ref.size == std::string_view::npos) {
    return std::nullopt;
  }
  return std::string_view(text_).substr(ref.offset, ref.size);
}

void changeset::event(std::int64_t id, protocol::unix_seconds at, std::string_view type,
                      std::optional<std::string_view> pool_id,
                      std::optional<std::string_view> lease_id,
                      std::optional<std::string_view> client_id,
                      std::optional<protocol::edition> edition, std::string_view detail_json) {
  event_entry entry;
  entry.id = id;
  entry.at = at;
  entry.type = type;
  entry.pool_id = keep(pool_id);
  entry.lease_id = keep(lease_id);
  entry.client_id = keep(client_id);
  entry.detail = keep(detail_json);
  entry.edition = edition;
  events_.push_back(entry);
}

event_write changeset::view_of(const event_entry& entry) const {
  event_write write;
  write.id = entry.id;
  write.at = entry.at;
  write.type = entry.type;
  write.pool_id = view(entry.pool_id);
  write.lease_id = view(entry.lease_id);
  write.client_id = view(entry.client_id);
  write.edition = entry.edition;
  write.detail_json = view(entry.detail).value_or("{}");
  return write;
}

lease_write changeset::lease_write_of(const dirty_lease& entry) const {
  const lease_record& record = entry.lease->second;
  lease_write write;
  write.seq = record.seq;
  write.inserted = entry.inserted;
  write.id = entry.lease->first;
  write.client_id = record.client_id;
  write.pool_id = record.pool->pool.id;
  write.requested_edition = record.requested_edition;
  write.granted_edition = record.granted_edition;
  write.issued_at = record.issued_at;
  write.renewed_at = record.renewed_at;
  write.expires_at = record.expires_at;
  if (record.hostname) {
    write.hostname = *record.hostname;
  }
  if (record.vgpu_profile) {
    write.vgpu_profile = *record.vgpu_profile;
  }
  if (record.labels.empty()) {
    write.labels_json = "{}";
  } else {
    labels_text_ = labels_json(record.labels);
    write.labels_json = labels_text_;
  }
  write.client_clock_skew = record.client_clock_skew;
  return write;
}

void changeset::set_meta(std::string_view key, std::string value) {
  meta_.insert_or_assign(std::string(key), std::move(value));
}

void changeset::add_usage(const usage_row& row) {
  usage_.push_back(row);
}

void changeset::add_lease_ending(lease_ending_row row) {
  endings_.push_back(std::move(row));
}

void changeset::put_token(const token_record& token) {
  tokens_.insert_or_assign(token.name, token);
}

void changeset::delete_token(std::string_view name) {
  tokens_.insert_or_assign(std::string(name), std::nullopt);
}

void changeset::put_signing_key(const signing_key_record& key) {
  auto same = std::find_if(keys_.begin(), keys_.end(),
                           [&](const signing_key_record& k) { return k.kid == key.kid; });
  if (same != keys_.end()) {
    *same = key;
  } else {
    keys_.push_back(key);
  }
}

std::optional<std::string> changeset::ending_of(std::string_view lease_id) const {
  for (const lease_ending_row& ending : endings_) {
    if (ending.lease_id == lease_id) {
      return ending.pool_id;
    }
  }
  return std::nullopt;
}

bool changeset::empty() const {
  return lease_positions_.empty() && deleted_leases_.empty() && pools_.empty() && events_.empty() &&
         meta_.empty() && usage_.empty() && endings_.empty() && tokens_.empty() && keys_.empty() &&
         !retention_;
}

void changeset::clear() {
  leases_.clear();
  lease_positions_.clear();
  deleted_leases_.clear();
  pools_.clear();
  events_.clear();
  text_.clear();
  meta_.clear();
  usage_.clear();
  endings_.clear();
  tokens_.clear();
  keys_.clear();
  retention_.reset();
}

}  // namespace vgls::storage
