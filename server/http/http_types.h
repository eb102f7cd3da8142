// The request and response as route handlers see them: plain values with no Beast types, so that
// handlers, the router and their tests compile without the network stack. The connection code
// converts Beast messages to and from these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/query_codec.h"
#include "protocol/role.h"
#include "protocol/time.h"

namespace vgls::server {

// One request as read from the wire. The views point into the connection's message, which outlives
// the handling of the request.
struct incoming_request {
  std::string_view method;         // "GET", "POST", …
  std::string_view target;         // "/v1/leases?limit=5"
  std::string_view authorization;  // empty when absent
  std::string_view content_type;   // empty when absent
  std::string_view body;
  std::string_view remote_address;  // "127.0.0.1"
};

// One answer. `content_type` is empty for bodiless answers (204).
struct outgoing_response {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra: Allow, Retry-After, …
  // When set, the connection code closes the connection after writing this answer.
  bool close_connection = false;
};

// Who is asking, as decided by the auth check (SPEC §9).
struct caller {
  enum class kind { anonymous, client, token };
  kind what = kind::anonymous;
  std::string name;  // the token's name, for `token`
  protocol::role role = protocol::role::viewer;
  // When the store last noted the token's use (for `token`), so that it is noted now and then,
  // not on every request.
  std::optional<protocol::unix_seconds> last_used_at;

  bool reaches(protocol::role needed) const {
    return what == kind::token && protocol::reaches(role, needed);
  }
};

// Everything a route handler learns about its request.
struct request_context {
  const incoming_request* request = nullptr;
  std::string_view route;        // the matched pattern, e.g. "/v1/leases/{id}"
  std::string path_id;           // the {id} segment, when the pattern has one
  protocol::query_params query;  // percent-decoded
  caller who;
  std::uint64_t request_id = 0;  // for logs of internal errors
};

// The name an event records as the actor of an admin route's change (SPEC §9): the token's name.
inline std::string actor_of(const request_context& context) {
  return context.who.what == caller::kind::token ? context.who.name : "client";
}

}  // namespace vgls::server
