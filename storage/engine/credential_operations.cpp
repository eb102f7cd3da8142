// Access tokens and signing keys (SPEC §8, §9): kept in memory beside pools and leases, written
// with the batch, and published to the server as one immutable `credentials` value.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "protocol/validation.h"
#include "storage/engine/engine.h"

namespace vgls::storage {

namespace {

using protocol::error_code;
using protocol::status;

status token_not_found(std::string_view name) {
  return status::error(error_code::token_not_found, "no token named '" + std::string(name) + "'",
                       "name");
}

status check_token(const token_record& record) {
  if (!protocol::is_valid_pool_id(record.name)) {
    return status::invalid("name", "name: must match [a-z0-9][a-z0-9._-]{0,62}");
  }
  if (record.secret_sha256_hex.size() != 64) {
    return status::invalid("secret", "secret: the store keeps a SHA-256 (64 hex digits)");
  }
  return status::ok();
}

}  // namespace

protocol::result<token_record> engine::create_token(token_record record, std::string_view actor) {
  if (auto checked = check_token(record); !checked) {
    return checked;
  }
  if (tokens_.contains(record.name)) {
    return status::error(error_code::token_exists,
                         "a token named '" + record.name + "' exists; remove it first", "name");
  }
  record.created_at = batch_now_;
  record.last_used_at.reset();
  changes_.put_token(record);
  record_event(
      protocol::event_type::token_created, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
      {{"name", record.name}, {"role", protocol::to_string(record.role)}, {"actor", actor}});
  tokens_.insert_or_assign(record.name, record);
  credentials_changed_ = true;
  return record;
}

protocol::result<done> engine::delete_token(const std::string& name, std::string_view actor) {
  auto it = tokens_.find(name);
  if (it == tokens_.end()) {
    return token_not_found(name);
  }
  changes_.delete_token(name);
  record_event(protocol::event_type::token_deleted, std::nullopt, std::nullopt, std::nullopt,
               std::nullopt,
               {{"name", name}, {"role", protocol::to_string(it->second.role)}, {"actor", actor}});
  tokens_.erase(it);
  credentials_changed_ = true;
  return done{};
}

protocol::result<done> engine::put_token(token_record record, std::string_view actor) {
  if (auto checked = check_token(record); !checked) {
    return checked;
  }
  auto existing = tokens_.find(record.name);
  if (existing != tokens_.end() && existing->second.role == record.role &&
      existing->second.secret_sha256_hex == record.secret_sha256_hex) {
    return done{};  // already so: nothing to write
  }
  record.created_at = batch_now_;
  if (existing != tokens_.end()) {
    record.last_used_at = existing->second.last_used_at;
  }
  changes_.put_token(record);
  record_event(
      existing == tokens_.end() ? protocol::event_type::token_created
                                : protocol::event_type::token_replaced,
      std::nullopt, std::nullopt, std::nullopt, std::nullopt,
      {{"name", record.name}, {"role", protocol::to_string(record.role)}, {"actor", actor}});
  tokens_.insert_or_assign(record.name, record);
  credentials_changed_ = true;
  return done{};
}

void engine::record_token_use(const std::string& name, protocol::unix_seconds at) {
  auto it = tokens_.find(name);
  if (it == tokens_.end() || (it->second.last_used_at && *it->second.last_used_at >= at)) {
    return;
  }
  it->second.last_used_at = at;
  changes_.put_token(it->second);
  credentials_changed_ = true;
}

protocol::result<done> engine::add_signing_key(signing_key_record key, std::string_view actor) {
  if (key.kid.empty() || key.private_key_pem.empty()) {
    return status::invalid({}, "a signing key needs a key id and a private key");
  }
  if (std::any_of(keys_.begin(), keys_.end(),
                  [&](const signing_key_record& k) { return k.kid == key.kid; })) {
    return done{};  // the same key again (two starts racing to make the first): nothing to do
  }
  // Tokens live at most leases.duration, so a retired key is published that long after.
  for (signing_key_record& current : keys_) {
    if (!current.retired_at) {
      current.retired_at = batch_now_;
      current.published_until = batch_now_ + options_.leases.duration_seconds;
      changes_.put_signing_key(current);
    }
  }
  key.created_at = batch_now_;
  key.retired_at.reset();
  key.published_until.reset();
  changes_.put_signing_key(key);
  record_event(protocol::event_type::key_added, std::nullopt, std::nullopt, std::nullopt,
               std::nullopt, {{"kid", key.kid}, {"actor", actor}});
  keys_.push_back(std::move(key));
  credentials_changed_ = true;
  return done{};
}

std::shared_ptr<const credentials> engine::current_credentials() const {
  return credentials_.load();
}

void engine::publish_credentials() {
  if (!credentials_changed_) {
    return;
  }
  credentials_changed_ = false;
  auto published = std::make_shared<credentials>();
  if (auto id = meta_value("installation_id")) {
    published->installation_id = std::string(*id);
  }
  published->tokens.reserve(tokens_.size());
  for (const auto& [name, token] : tokens_) {
    published->tokens.push_back(token);
  }
  published->keys = keys_;
  credentials_.store(std::move(published));
}

}  // namespace vgls::storage
