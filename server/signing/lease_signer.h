// Signs lease answers (SPEC §8) with the installation's current signing key, and says which keys
// are published. The keys come from the store's credentials (so every node of a PostgreSQL
// installation signs with the same key), or from server.signing_key_file when that is set.
//
// The store republishes its credentials after every change of tokens or keys; the signer notices
// a new credentials value on its next use and rebuilds its state then (parsed keys are kept by
// key id, so only a new key is parsed). Each signature takes a nonce from the signer's reserve
// (nonce_reserve.h), one short lock; that is the only lock of signing.
//
// Thread-safety: every method may be called from any thread at once.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "protocol/lease.h"
#include "protocol/lease_token.h"
#include "server/signing/nonce_reserve.h"
#include "server/signing/signing_key.h"
#include "storage/published.h"
#include "storage/store.h"

namespace vgls::server {

class lease_signer {
 public:
  // `reserve_capacity`: how many signatures are prepared ahead (server.signing_reserve).
  lease_signer(const storage::store& store, std::optional<signing_key> file_key,
               std::size_t reserve_capacity);
  lease_signer(const lease_signer&) = delete;
  lease_signer& operator=(const lease_signer&) = delete;

  // Sets `l.token`. Leaves it absent when there is no signing key yet (a store that has not
  // loaded its state), which the caller may log.
  void sign(protocol::lease& l) const;

  // The JWKS: the signing key first, then every retired key whose tokens may still be valid.
  std::vector<protocol::public_jwk> published_keys() const;

  // True when the key comes from server.signing_key_file (rotation is then the file's business).
  bool key_from_file() const { return file_key_.has_value(); }

  const nonce_reserve& reserve() const { return reserve_; }

 private:
  struct state {
    std::shared_ptr<const storage::credentials> source;
    std::shared_ptr<const signing_key> key;  // null when there is none
    std::string header;                      // base64url of the JWS header for `key`
    std::string installation_id;
    std::vector<protocol::public_jwk> published;
    // When a retired key leaves the JWKS: the state is rebuilt then, credentials changed or not.
    std::optional<protocol::unix_seconds> next_change;
  };

  std::shared_ptr<const state> current() const;
  std::shared_ptr<const state> rebuild(std::shared_ptr<const storage::credentials> source) const;

  const storage::store& store_;
  std::optional<signing_key> file_key_;
  mutable std::mutex rebuild_mutex_;
  mutable storage::published<state> state_;
  mutable std::map<std::string, std::shared_ptr<const signing_key>> parsed_;  // under the mutex
  mutable nonce_reserve reserve_;
};

}  // namespace vgls::server
