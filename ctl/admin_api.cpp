#include "ctl/admin_api.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "ctl/query_string.h"
#include "protocol/answer_codec.h"
#include "protocol/percent_encoding.h"
#include "protocol/request_encoders.h"

namespace vgls::ctl {
namespace {

constexpr int max_rate_limit_waits = 5;
constexpr int max_retry_after_seconds = 10;

// A 2xx answer the client cannot read is the server's fault, but there is no SPEC code for
// "the answer was malformed"; internal_error says the closest thing.
template <class T>
call_result<T> decoded(protocol::result<T> outcome) {
  if (outcome.is_ok())
    return std::move(outcome).value();
  return call_error{std::nullopt,
                    protocol::status::internal("unreadable answer: " + outcome.error().message()),
                    {}};
}

int retry_after_seconds(const client::http_response& response) {
  const std::string value = response.header("Retry-After");
  int seconds = 1;
  if (!value.empty() && value.size() < 4 &&
      std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    seconds = std::stoi(value);
  }
  return std::clamp(seconds, 1, max_retry_after_seconds);
}

}  // namespace

exit_code call_error::code() const {
  if (transport_failure)
    return exit_code::unreachable;
  return exit_code_for(refusal);
}

std::string call_error::to_string(std::string_view server) const {
  if (transport_failure) {
    std::string text = "error: unreachable: " + *transport_failure;
    if (transport_failure->find(server) == std::string::npos)
      text += " (server " + std::string(server) + ")";
    return text;
  }
  std::string text = "error: " + refusal.to_string();
  if (!active_node.empty())
    text += "; run the command with --server " + active_node;
  return text;
}

call_result<std::string> admin_api::exchange(std::string_view method, const std::string& target,
                                             std::string_view body, int expected) {
  for (int attempt = 0;; ++attempt) {
    auto outcome = http_.request(method, target, body);
    if (const auto* failure = std::get_if<client::transport_error>(&outcome))
      return call_error{failure->message, {}, {}};
    auto& response = std::get<client::http_response>(outcome);
    if (response.status == expected)
      return std::move(response.body);
    if (response.status == 429 && attempt < max_rate_limit_waits) {
      std::this_thread::sleep_for(std::chrono::seconds(retry_after_seconds(response)));
      continue;
    }
    if (response.status >= 200 && response.status < 300) {
      return call_error{
          std::nullopt,
          protocol::status::internal("unexpected HTTP status " + std::to_string(response.status)),
          {}};
    }
    return call_error{std::nullopt, protocol::decode_error(response.status, response.body),
                      response.header("Vgls-Active-Node")};
  }
}

call_result<protocol::server_info> admin_api::server_info() {
  auto body = exchange("GET", "/v1/server", {}, 200);
  if (!body.is_ok())
    return body.error();
  return decoded(protocol::decode_server_answer(*body));
}

call_result<std::vector<protocol::pool_view>> admin_api::list_pools() {
  auto body = exchange("GET", "/v1/pools", {}, 200);
  if (!body.is_ok())
    return body.error();
  return decoded(protocol::decode_pools_answer(*body));
}

call_result<protocol::pool_view> admin_api::create_pool(
    const protocol::pool_create_request& request) {
  auto body = exchange("POST", "/v1/pools", protocol::encode(request).dump(), 201);
  if (!body.is_ok())
    return body.error();
  return decoded(protocol::decode_pool_answer(*body));
}

call_result<protocol::pool_view> admin_api::update_pool(std::string_view id,
                                                        const protocol::pool_patch_request& patch) {
  auto body =
      exchange("PATCH", "/v1/pools/" + percent_encode(id), protocol::encode(patch).dump(), 200);
  if (!body.is_ok())
    return body.error();
  return decoded(protocol::decode_pool_answer(*body));
}

call_result<no_content> admin_api::delete_pool(std::string_view id, bool force) {
  query_string query;
  if (force)
    query.add("force", "true");
  auto body = exchange("DELETE", "/v1/pools/" + percent_encode(id) + query.str(), {}, 204);
  if (!body.is_ok())
    return body.error();
  return no_content{};
}

call_result<protocol::lease_page> admin_api::list_leases(const protocol::lease_query& request) {
  query_string query;
  if (request.pool_id)
    query.add("pool", *request.pool_id);
  if (request.edition)
    query.add("edition", protocol::to_string(*request.edition));
  if (request.client_id)
    query.add("client_id", *request.client_id);
  if (request.hostname_prefix)
    query.add("hostname", *request.hostname_prefix);
  query.add("limit", std::to_string(request.limit));
  if (request.after)
    query.add("after", *request.after);
  auto body = exchange("GET", "/v1/leases" + query.str(), {}, 200);
  if (!body.is_ok())
    return body.error();
  return decoded(protocol::decode_lease_page(*body));
}

call_result<no_content> admin_api::revoke_lease(std::string_view id) {
  auto body = exchange("DELETE", "/v1/leases/" + percent_encode(id), {}, 204);
  if (!body.is_ok())
    return body.error();
  return no_content{};
}

call_result<protocol::event_page> admin_api::list_events(const protocol::event_query& request) {
  query_string query;
  query.add("after", std::to_string(request.after));
  query.add("limit", std::to_string(request.limit));
  if (request.type)
    query.add("type", *request.type);
  auto body = exchange("GET", "/v1/events" + query.str(), {}, 200);
  if (!body.is_ok())
    return body.error();
  return decoded(protocol::decode_events_answer(*body));
}

call_result<std::vector<protocol::usage_bucket>> admin_api::usage(const usage_request& request) {
  query_string query;
  if (request.from)
    query.add("from", protocol::format_rfc3339(*request.from));
  if (request.to)
    query.add("to", protocol::format_rfc3339(*request.to));
  query.add("bucket", request.bucket);
  if (request.edition)
    query.add("edition", protocol::to_string(*request.edition));
  auto body = exchange("GET", "/v1/usage" + query.str(), {}, 200);
  if (!body.is_ok())
    return body.error();
  return decoded(protocol::decode_usage_answer(*body));
}

call_result<std::vector<protocol::public_jwk>> admin_api::list_keys() {
  auto body = exchange("GET", "/v1/keys", {}, 200);
  if (!body.is_ok())
    return body.error();
  return decoded(protocol::decode_keys_answer(*body));
}

call_result<std::vector<protocol::public_jwk>> admin_api::rotate_key() {
  auto body = exchange("POST", "/v1/keys/rotate", {}, 200);
  if (!body.is_ok())
    return body.error();
  return decoded(protocol::decode_keys_answer(*body));
}

call_result<protocol::token_info> admin_api::create_token(
    const protocol::token_create_request& request) {
  auto body = exchange("POST", "/v1/tokens", protocol::encode(request), 201);
  if (!body.is_ok())
    return body.error();
  return decoded(protocol::decode_token_answer(*body));
}

call_result<std::vector<protocol::token_info>> admin_api::list_tokens() {
  auto body = exchange("GET", "/v1/tokens", {}, 200);
  if (!body.is_ok())
    return body.error();
  return decoded(protocol::decode_tokens_answer(*body));
}

call_result<no_content> admin_api::delete_token(std::string_view name) {
  auto body = exchange("DELETE", "/v1/tokens/" + percent_encode(name), {}, 204);
  if (!body.is_ok())
    return body.error();
  return no_content{};
}

}  // namespace vgls::ctl
