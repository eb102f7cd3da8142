// Who is calling (SPEC §2, §9): checks the Authorization header against the client token and the
// named tokens (viewer, operator, admin) for one route's access level. A wrong or missing token is
// 401; a known token whose role does not reach is 403 `forbidden`.
//
// The named tokens are the store's credentials (only SHA-256 digests), held here as a table that
// is rebuilt when the store publishes new credentials; no check asks the store anything. A
// presented secret is hashed and compared with every digest, in time that depends only on the
// number of tokens, never on where a digest differs. The admin token this node was started with
// is always accepted as the token `admin`, also before the store has loaded (a standby).
//
// Thread-safety: `check` may be called from any thread at once.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/role.h"
#include "server/http/http_types.h"
#include "server/http/router.h"
#include "storage/published.h"
#include "storage/store.h"

namespace vgls::server {

struct auth_settings {
  std::string admin_token;
  std::optional<std::string> client_token;  // when set, client routes require it (or a token)
  bool status_page_public = false;
  bool metrics_public = true;
};

// Equal contents, in time that does not depend on where they differ.
bool tokens_equal(std::string_view a, std::string_view b);

// Lowercase hex SHA-256 of a secret, as the store keeps it.
std::string secret_sha256_hex(std::string_view secret);

using credentials_source = std::function<std::shared_ptr<const storage::credentials>()>;

class authenticator {
 public:
  // `source` is called on every check that looks at named tokens; it must be cheap (a snapshot's
  // load). An empty source means no named tokens but the admin token.
  authenticator(auth_settings settings, credentials_source source = {});

  // The caller, or the 401/403 answer (401 with its WWW-Authenticate challenge) to send.
  std::variant<caller, outgoing_response> check(access level, std::string_view authorization) const;

 private:
  struct entry {
    std::array<unsigned char, 32> digest{};
    std::string name;
    protocol::role role = protocol::role::viewer;
    std::optional<protocol::unix_seconds> last_used_at;
  };
  struct table {
    std::shared_ptr<const storage::credentials> source;
    std::vector<entry> entries;
  };

  // The named token a Bearer or Basic secret is, if any.
  std::optional<caller> identify(std::string_view secret) const;
  std::shared_ptr<const table> current() const;

  auth_settings settings_;
  credentials_source source_;
  std::array<unsigned char, 32> admin_digest_{};
  mutable std::mutex rebuild_mutex_;
  mutable storage::published<table> table_;
};

}  // namespace vgls::server
