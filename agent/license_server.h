// The lease routes of one vgls server, as the agent uses them: check out, renew, release. Each
// call either gives what was asked or a `client::call_failure` that says whether the server
// answered (and refused, with its SPEC error, perhaps as a standby naming the active node) or
// could not be reached at all; the agent's retry and failover decisions, and the one-shot
// commands' exit codes, rest on that difference.
// Not thread-safe: it owns one keep-alive connection.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/key_pins.h"
#include "client/call_result.h"
#include "client/http_client.h"
#include "protocol/lease.h"
#include "protocol/requests.h"
#include "protocol/status.h"

namespace vgls::agent {

using client::call_failure;
using lease_outcome = client::call_result<protocol::lease>;

class license_server {
 public:
  license_server(client::server_url url, client::client_options options);

  // POST /v1/leases.
  lease_outcome checkout(const protocol::checkout_request& request);

  // POST /v1/leases/{id}/renew, stating this machine's clock.
  lease_outcome renew(std::string_view lease_id);

  // GET /v1/leases/{id}: the lease as the server holds it now; `lease_not_found` once it was
  // revoked, reclaimed or has ended.
  lease_outcome lookup(std::string_view lease_id);

  // DELETE /v1/leases/{id}. A lease the server no longer has (`lease_not_found`) counts as
  // released: that is what the caller wanted. ok, or the reason it is still held.
  client::call_result<client::no_content> release(std::string_view lease_id);

  // From now on, every lease answer's token must verify with `pins` and name `client_id`; one
  // that does not is an undecodable answer (invalid_request, field "token"), logged as an error:
  // the lease is not held. `pins` must outlive this object.
  void verify_tokens(key_pins& pins, std::string client_id);

  // GET /v1/keys.
  protocol::result<std::vector<protocol::public_jwk>> keys();

  // The URL as configured, for logs and the state file.
  const std::string& url() const { return http_.server().text; }

 private:
  lease_outcome lease_answer(client::exchange_outcome reply);

  client::http_client http_;
  key_pins* pins_ = nullptr;
  std::string client_id_;
};

}  // namespace vgls::agent
