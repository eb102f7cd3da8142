// Who is calling: checks the Authorization header against the admin and client tokens for one
// route's access level (SPEC §2). Tokens are compared in constant time. Immutable after
// construction: safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "server/http/http_types.h"
#include "server/http/router.h"

namespace vgls::server {

struct auth_settings {
  std::string admin_token;
  std::optional<std::string> client_token;  // when set, client routes require it (or admin)
  bool status_page_public = false;
  bool metrics_public = true;
};

// Equal contents, in time that does not depend on where they differ.
bool tokens_equal(std::string_view a, std::string_view b);

class authenticator {
 public:
  explicit authenticator(auth_settings settings) : settings_(std::move(settings)) {}

  // The caller, or the 401 answer (with its WWW-Authenticate challenge) to send.
  std::variant<caller, outgoing_response> check(access level, std::string_view authorization) const;

 private:
  bool is_admin_bearer(std::string_view authorization) const;
  bool is_admin_basic(std::string_view authorization) const;

  auth_settings settings_;
};

}  // namespace vgls::server
