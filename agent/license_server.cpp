#include "agent/license_server.h"

#include <spdlog/spdlog.h>

#include "protocol/answer_codec.h"
#include "protocol/request_encoders.h"
#include "protocol/validation.h"

namespace vgls::agent {

namespace {

using protocol::error_code;
using protocol::status;

call_error unreachable(const client::transport_error& error) {
  return {false, status::unavailable(error.message)};
}

// A lease id not of vgls's shape cannot name an active lease; asking would only put odd bytes
// into a URL.
call_error no_such_lease(std::string_view lease_id) {
  return {true, status::error(error_code::lease_not_found,
                              "lease id " + std::string(lease_id) + " is not a vgls lease id")};
}

// A 503 from a standby names the active node, or at least says to retry in a second; a 503 of
// a node whose own storage fails asks for longer.
call_error refused(const client::http_response& response) {
  call_error error{true, protocol::decode_error(response.status, response.body)};
  error.active_node = response.header("Vgls-Active-Node");
  error.from_standby = response.status == 503 && error.status.code() == error_code::unavailable &&
                       (!error.active_node.empty() || response.header("Retry-After") == "1");
  return error;
}

}  // namespace

std::string describe(const call_error& error) {
  if (!error.reached) {
    return "unreachable: " + error.status.message();
  }
  return error.status.to_string();
}

license_server::license_server(client::server_url url, client::client_options options)
    : http_(std::move(url), std::move(options)) {}

lease_outcome license_server::lease_answer(
    std::variant<client::http_response, client::transport_error> reply) {
  if (const auto* error = std::get_if<client::transport_error>(&reply)) {
    return unreachable(*error);
  }
  const auto& response = std::get<client::http_response>(reply);
  if (response.status >= 200 && response.status < 300 && response.status != 200 &&
      response.status != 201) {
    return call_error{
        true, status::internal("unexpected answer status " + std::to_string(response.status))};
  }
  if (response.status != 200 && response.status != 201) {
    return refused(response);
  }
  auto lease = protocol::decode_lease_answer(response.body);
  if (!lease) {
    return call_error{
        true, status::internal("the server's answer is not a lease: " + lease.error().message())};
  }
  if (pins_ != nullptr) {
    if (auto checked = pins_->check(*lease, client_id_, url(), [this] { return keys(); });
        !checked) {
      spdlog::error("{}: {}; the lease is treated as not held", url(), checked.message());
      return call_error{true, std::move(checked)};
    }
  }
  return std::move(lease).value();
}

void license_server::verify_tokens(key_pins& pins, std::string client_id) {
  pins_ = &pins;
  client_id_ = std::move(client_id);
}

protocol::result<std::vector<protocol::public_jwk>> license_server::keys() {
  auto reply = http_.request("GET", "/v1/keys");
  if (const auto* error = std::get_if<client::transport_error>(&reply)) {
    return status::unavailable("unreachable: " + error->message);
  }
  const auto& response = std::get<client::http_response>(reply);
  if (response.status != 200) {
    return protocol::decode_error(response.status, response.body);
  }
  return protocol::decode_keys_answer(response.body);
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

std::variant<std::monostate, call_error> license_server::release(std::string_view lease_id) {
  if (!protocol::is_valid_lease_id(lease_id)) {
    return std::monostate{};
  }
  auto reply = http_.request("DELETE", "/v1/leases/" + std::string(lease_id));
  if (const auto* error = std::get_if<client::transport_error>(&reply)) {
    return unreachable(*error);
  }
  const auto& response = std::get<client::http_response>(reply);
  if (response.status >= 200 && response.status < 300) {
    return std::monostate{};
  }
  auto error = refused(response);
  if (error.status.code() == error_code::lease_not_found) {
    return std::monostate{};
  }
  return error;
}

}  // namespace vgls::agent
