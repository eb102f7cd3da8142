#include "server/signing/lease_signer.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace vgls::server {

lease_signer::lease_signer(const storage::store& store, std::optional<signing_key> file_key,
                           std::size_t reserve_capacity)
    : store_(store), file_key_(std::move(file_key)), reserve_(reserve_capacity) {}

std::shared_ptr<const lease_signer::state> lease_signer::current() const {
  auto source = store_.current_credentials();
  auto s = state_.load();
  if (s && s->source == source && (!s->next_change || store_.now() < *s->next_change)) {
    return s;
  }
  return rebuild(std::move(source));
}

std::shared_ptr<const lease_signer::state> lease_signer::rebuild(
    std::shared_ptr<const storage::credentials> source) const {
  std::lock_guard lock(rebuild_mutex_);
  if (auto s = state_.load();
      s && s->source == source && (!s->next_change || store_.now() < *s->next_change)) {
    return s;  // another thread rebuilt it while this one waited
  }
  auto next = std::make_shared<state>();
  next->source = source;
  next->installation_id = source->installation_id;
  if (file_key_) {
    next->key = std::make_shared<const signing_key>(*file_key_);
    next->published.push_back({file_key_->kid(), file_key_->public_x()});
  }
  const protocol::unix_seconds now = store_.now();
  // Newest first: the signing key (the newest one not retired), then retired keys still published.
  // The signing key (not retired) first, then the retired ones, newest first; keys come oldest
  // first, and two made in one second keep that order.
  std::vector<const storage::signing_key_record*> records;
  for (auto it = source->keys.rbegin(); it != source->keys.rend(); ++it) {
    records.push_back(&*it);
  }
  std::stable_sort(records.begin(), records.end(),
                   [](auto* a, auto* b) { return !a->retired_at && b->retired_at; });
  std::map<std::string, std::shared_ptr<const signing_key>> kept;
  for (const auto* record : records) {
    const bool signs = !record->retired_at && !next->key;
    const bool published =
        signs || !record->retired_at || !record->published_until || *record->published_until > now;
    if (!published) {
      continue;
    }
    if (record->retired_at && record->published_until &&
        (!next->next_change || *record->published_until < *next->next_change)) {
      next->next_change = record->published_until;
    }
    auto parsed = parsed_.find(record->kid);
    std::shared_ptr<const signing_key> key;
    if (parsed != parsed_.end()) {
      key = parsed->second;
    } else {
      auto loaded = signing_key::from_pem(record->private_key_pem, "signing key " + record->kid);
      if (!loaded) {
        spdlog::error("cannot use the stored signing key {}: {}", record->kid,
                      loaded.error().message());
        continue;
      }
      key = std::make_shared<const signing_key>(std::move(*loaded));
    }
    kept.emplace(record->kid, key);
    if (signs) {
      next->key = key;
    }
    if (std::none_of(next->published.begin(), next->published.end(),
                     [&](const protocol::public_jwk& j) { return j.kid == key->kid(); })) {
      next->published.push_back({key->kid(), key->public_x()});
    }
  }
  parsed_ = std::move(kept);
  if (next->key) {
    next->header = protocol::encoded_token_header(next->key->kid());
  }
  std::shared_ptr<const state> out = std::move(next);
  state_.store(out);
  return out;
}

void lease_signer::sign(protocol::lease& l) const {
  const auto s = current();
  if (!s->key) {
    l.token.reset();
    return;
  }
  const std::string claims = protocol::encoded_claims(protocol::claims_of(l, s->installation_id));
  std::string token;
  token.reserve(s->header.size() + claims.size() + 2 + 86);  // 86: a base64url Ed25519 signature
  token += s->header;
  token += '.';
  token += claims;
  const std::string signature = s->key->sign(token, reserve_.take());
  token += '.';
  token += protocol::base64url_encode(signature);
  l.token = std::move(token);
}

std::vector<protocol::public_jwk> lease_signer::published_keys() const {
  return current()->published;
}

}  // namespace vgls::server
