// The admin routes of SPEC §2 as typed calls over one keep-alive connection. Every call either
// returns the decoded answer or says why not (client/call_result.h): the server refused (its SPEC
// error), could not be reached, or gave an answer that cannot be read. A 429 is waited out a few
// times (Retry-After) before it counts as a refusal, because `events` may send many small requests
// in a row. Not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/call_result.h"
#include "client/http_client.h"
#include "protocol/event.h"
#include "protocol/lease_token.h"
#include "protocol/pool.h"
#include "protocol/requests.h"
#include "protocol/server_info.h"
#include "protocol/status.h"
#include "protocol/token_codec.h"
#include "protocol/usage.h"

namespace vgls::ctl {

using client::call_failure;
using client::call_result;
using client::no_content;

// "error: no_seat_available: every pool …" or "error: unreachable: … (server http://…)"; a
// refusal naming the active node (a standby's, SPEC §7) adds how to ask that node instead.
std::string failure_line(const call_failure& failure, std::string_view server);

// What GET /v1/usage is asked; `bucket` as written on the wire ("1h").
struct usage_request {
  std::optional<protocol::unix_seconds> from;
  std::optional<protocol::unix_seconds> to;
  std::string bucket = "1h";
  std::optional<protocol::edition> edition;
};

class admin_api {
 public:
  explicit admin_api(client::http_client& http) : http_(http) {}

  call_result<protocol::server_info> server_info();
  call_result<std::vector<protocol::pool_view>> list_pools();
  call_result<protocol::pool_view> create_pool(const protocol::pool_create_request& request);
  call_result<protocol::pool_view> update_pool(std::string_view id,
                                               const protocol::pool_patch_request& patch);
  call_result<no_content> delete_pool(std::string_view id, bool force);
  call_result<protocol::lease_page> list_leases(const protocol::lease_query& query);
  call_result<no_content> revoke_lease(std::string_view id);
  call_result<protocol::event_page> list_events(const protocol::event_query& query);
  call_result<std::vector<protocol::usage_bucket>> usage(const usage_request& request);

  // GET /v1/keys, POST /v1/keys/rotate: the JWKS.
  call_result<std::vector<protocol::public_jwk>> list_keys();
  call_result<std::vector<protocol::public_jwk>> rotate_key();
  call_result<protocol::token_info> create_token(const protocol::token_create_request& request);
  call_result<std::vector<protocol::token_info>> list_tokens();
  call_result<no_content> delete_token(std::string_view name);

  const std::string& server_text() const { return http_.server().text; }

 private:
  // The answer when its status is `expected`, else why not; a 429 is waited out a few times.
  call_result<client::http_response> exchange(std::string_view method, const std::string& target,
                                              std::string_view body, int expected);

  client::http_client& http_;
};

}  // namespace vgls::ctl
