// The keys the agent trusts to sign its lease tokens (SPEC §8), and the check of every token it
// receives. The keys are the operator's `trusted_keys_file` (a JWKS, e.g. saved from
// GET /v1/keys), or else pinned on first use, per server: the JWKS each configured server
// answered at the agent's first checkout from it, kept in `<state_dir>/keys.json` (0600) as
// `{"servers": {"<url>": {"keys": […]}}}`. Per server, because the configured servers may be
// separate installations (each with its own key) that the agent fails over between.
//
// A pinned set follows a key rotation only by continuity: when a token names a key that is not
// pinned, the agent reads the server's JWKS again, and adds its keys only if that JWKS still holds
// a key already pinned (an installation publishes its old key until its last token has expired,
// SPEC §8). Another installation's keys, or a JWKS without any pinned key, are refused. A
// `trusted_keys_file` is never extended.
//
// Not synchronised: one agent process uses it at a time; `status --verify` only reads.
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "protocol/lease.h"
#include "protocol/lease_token.h"
#include "protocol/status.h"

namespace vgls::agent {

using keys_fetcher = std::function<protocol::result<std::vector<protocol::public_jwk>>()>;

class key_pins {
 public:
  key_pins(std::filesystem::path state_dir, std::optional<std::filesystem::path> trusted_keys_file);

  // ok when `l.token` verifies with a trusted key and says this lease: `sub` = `client_id`,
  // `jti` = the lease id, `exp` and `edition` as the answer says. `fetch` reads the server's JWKS
  // (for the first pin, or a rotation). Errors are invalid_request, field "token", saying why.
  protocol::status check(const protocol::lease& l, const std::string& client_id,
                         const std::string& server, const keys_fetcher& fetch);

  // The keys trusted for `server`: the file's, or the ones pinned for it (empty when none yet).
  protocol::result<std::vector<protocol::public_jwk>> trusted(const std::string& server) const;

  const std::filesystem::path& pin_file() const { return pin_file_; }

 private:
  protocol::result<nlohmann::json> load_pins() const;
  protocol::status save_pins(const std::string& server,
                             const std::vector<protocol::public_jwk>& keys) const;

  std::filesystem::path state_dir_;
  std::filesystem::path pin_file_;
  std::optional<std::filesystem::path> trusted_keys_file_;
};

// Checks `token` against `keys` and the claims against the lease and client id, without fetching.
protocol::status check_lease_token(const protocol::lease& l, const std::string& client_id,
                                   const std::vector<protocol::public_jwk>& keys);

}  // namespace vgls::agent
