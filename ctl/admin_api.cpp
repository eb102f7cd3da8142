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

}  // namespace

std::string failure_line(const call_failure& failure, std::string_view server) {
  std::string text = "error: " + failure.describe();
  if (!failure.reached()) {
    if (failure.status.message().find(server) == std::string::npos)
      text += " (server " + std::string(server) + ")";
  } else if (failure.what == call_failure::kind::refused && !failure.active_node.empty()) {
    text += "; run the command with --server " + failure.active_node;
  }
  return text;
}

call_result<client::http_response> admin_api::exchange(std::string_view method,
                                                       const std::string& target,
                                                       std::string_view body, int expected) {
  for (int attempt = 0;; ++attempt) {
    auto answer = client::read_answer(http_.request(method, target, body), {expected});
    if (!answer.is_ok() && answer.error().http_status == 429 && attempt < max_rate_limit_waits) {
      const int seconds =
          std::clamp(answer.error().retry_after_seconds.value_or(1), 1, max_retry_after_seconds);
      std::this_thread::sleep_for(std::chrono::seconds(seconds));
      continue;
    }
    return answer;
  }
}

call_result<protocol::server_info> admin_api::server_info() {
  return client::decode_answer(exchange("GET", "/v1/server", {}, 200),
                               &protocol::decode_server_answer);
}

call_result<std::vector<protocol::pool_view>> admin_api::list_pools() {
  return client::decode_answer(exchange("GET", "/v1/pools", {}, 200),
                               &protocol::decode_pools_answer);
}

call_result<protocol::pool_view> admin_api::create_pool(
    const protocol::pool_create_request& request) {
  return client::decode_answer(exchange("POST", "/v1/pools", protocol::encode(request).dump(), 201),
                               &protocol::decode_pool_answer);
}

call_result<protocol::pool_view> admin_api::update_pool(std::string_view id,
                                                        const protocol::pool_patch_request& patch) {
  return client::decode_answer(
      exchange("PATCH", "/v1/pools/" + percent_encode(id), protocol::encode(patch).dump(), 200),
      &protocol::decode_pool_answer);
}

call_result<no_content> admin_api::delete_pool(std::string_view id, bool force) {
  query_string query;
  if (force)
    query.add("force", "true");
  auto answer = exchange("DELETE", "/v1/pools/" + percent_encode(id) + query.str(), {}, 204);
  if (!answer.is_ok())
    return answer.error();
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
  return client::decode_answer(exchange("GET", "/v1/leases" + query.str(), {}, 200),
                               &protocol::decode_lease_page);
}

call_result<no_content> admin_api::revoke_lease(std::string_view id) {
  auto answer = exchange("DELETE", "/v1/leases/" + percent_encode(id), {}, 204);
  if (!answer.is_ok())
    return answer.error();
  return no_content{};
}

call_result<protocol::event_page> admin_api::list_events(const protocol::event_query& request) {
  query_string query;
  query.add("after", std::to_string(request.after));
  query.add("limit", std::to_string(request.limit));
  if (request.type)
    query.add("type", *request.type);
  return client::decode_answer(exchange("GET", "/v1/events" + query.str(), {}, 200),
                               &protocol::decode_events_answer);
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
  return client::decode_answer(exchange("GET", "/v1/usage" + query.str(), {}, 200),
                               &protocol::decode_usage_answer);
}

call_result<std::vector<protocol::public_jwk>> admin_api::list_keys() {
  return client::decode_answer(exchange("GET", "/v1/keys", {}, 200), &protocol::decode_keys_answer);
}

call_result<std::vector<protocol::public_jwk>> admin_api::rotate_key() {
  return client::decode_answer(exchange("POST", "/v1/keys/rotate", {}, 200),
                               &protocol::decode_keys_answer);
}

call_result<protocol::token_info> admin_api::create_token(
    const protocol::token_create_request& request) {
  return client::decode_answer(exchange("POST", "/v1/tokens", protocol::encode(request), 201),
                               &protocol::decode_token_answer);
}

call_result<std::vector<protocol::token_info>> admin_api::list_tokens() {
  return client::decode_answer(exchange("GET", "/v1/tokens", {}, 200),
                               &protocol::decode_tokens_answer);
}

call_result<no_content> admin_api::delete_token(std::string_view name) {
  auto answer = exchange("DELETE", "/v1/tokens/" + percent_encode(name), {}, 204);
  if (!answer.is_ok())
    return answer.error();
  return no_content{};
}

}  // namespace vgls::ctl
