#include "agent/license_server.h"

#include <spdlog/spdlog.h>

#include "protocol/answer_codec.h"
#include "protocol/request_encoders.h"
#include "protocol/validation.h"

namespace vgls::agent {

namespace {

using protocol::error_code;
using protocol::status;

// A lease id not of vgls's shape cannot name an active lease; asking would only put odd bytes
// into a URL.
call_failure no_such_lease(std::string_view lease_id) {
  return call_failure::refused(
      status::error(error_code::lease_not_found,
                    "lease id " + std::string(lease_id) + " is not a vgls lease id"));
}

}  // namespace

license_server::license_server(client::server_url url, client::client_options options)
    : http_(std::move(url), std::move(options)) {}

lease_outcome license_server::lease_answer(client::exchange_outcome reply) {
  auto lease = client::read_answer(std::move(reply), {200, 201}, &protocol::decode_lease_answer);
  if (!lease.is_ok() || pins_ == nullptr) {
    return lease;
  }
  if (auto checked = pins_->check(*lease, client_id_, url(), [this] { return keys(); }); !checked) {
    spdlog::error("{}: {}; the lease is treated as not held", url(), checked.message());
    return call_failure::undecodable(std::move(checked));
  }
  return lease;
}

void license_server::verify_tokens(key_pins& pins, std::string client_id) {
  pins_ = &pins;
  client_id_ = std::move(client_id);
}

protocol::result<std::vector<protocol::public_jwk>> license_server::keys() {
  auto answer =
      client::read_answer(http_.request("GET", "/v1/keys"), {200}, &protocol::decode_keys_answer);
  if (answer.is_ok()) {
    return std::move(*answer);
  }
  const auto& failure = answer.error();
  return failure.reached() ? failure.status : status::unavailable(failure.describe());
}

lease_outcome license_server::checkout(const protocol::checkout_request& request) {
  return lease_answer(http_.request("POST", "/v1/leases", protocol::encode(request).dump()));
}

lease_outcome license_server::renew(std::string_view lease_id) {
  if (!protocol::is_valid_lease_id(lease_id)) {
    return no_such_lease(lease_id);
  }
  const protocol::renew_request body{protocol::system_now()};
  return lease_answer(http_.request("POST", "/v1/leases/" + std::string(lease_id) + "/renew",
                                    protocol::encode(body).dump()));
}

lease_outcome license_server::lookup(std::string_view lease_id) {
  if (!protocol::is_valid_lease_id(lease_id)) {
    return no_such_lease(lease_id);
  }
  return lease_answer(http_.request("GET", "/v1/leases/" + std::string(lease_id)));
}

client::call_result<client::no_content> license_server::release(std::string_view lease_id) {
  if (!protocol::is_valid_lease_id(lease_id)) {
    return client::no_content{};
  }
  auto answer = client::read_answer(http_.request("DELETE", "/v1/leases/" + std::string(lease_id)),
                                    client::accepted_statuses::any_success());
  if (answer.is_ok() || (answer.error().what == call_failure::kind::refused &&
                         answer.error().status.code() == error_code::lease_not_found)) {
    return client::no_content{};
  }
  return answer.error();
}

}  // namespace vgls::agent
