#include "client/call_result.h"

#include <algorithm>

#include "protocol/answer_codec.h"

namespace vgls::client {

namespace {

// Retry-After as delta-seconds (RFC 9110 §10.2.3); the HTTP-date form is not used by vgls.
std::optional<int> retry_after(const http_response& response) {
  const std::string value = response.header("Retry-After");
  constexpr std::size_t max_digits = 9;  // fits an int
  if (value.empty() || value.size() > max_digits ||
      !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoi(value);
}

}  // namespace

call_failure call_failure::unreachable(const transport_error& error) {
  call_failure failure;
  failure.what = kind::unreachable;
  failure.status = protocol::status::unavailable(error.message);
  return failure;
}

call_failure call_failure::refused(protocol::status error) {
  call_failure failure;
  failure.what = kind::refused;
  failure.status = std::move(error);
  return failure;
}

call_failure call_failure::undecodable(protocol::status why) {
  call_failure failure;
  failure.what = kind::undecodable;
  failure.status = std::move(why);
  return failure;
}

bool call_failure::from_standby() const {
  return what == kind::refused && http_status == 503 &&
         status.code() == protocol::error_code::unavailable &&
         (!active_node.empty() || retry_after_seconds == 1);
}

std::string call_failure::describe() const {
  if (what == kind::unreachable)
    return "unreachable: " + status.message();
  return status.to_string();
}

bool accepted_statuses::contains(int status) const {
  if (statuses_.empty())
    return status >= 200 && status < 300;
  return std::find(statuses_.begin(), statuses_.end(), status) != statuses_.end();
}

call_result<http_response> read_answer(exchange_outcome reply, const accepted_statuses& accepted) {
  if (const auto* error = std::get_if<transport_error>(&reply))
    return call_failure::unreachable(*error);
  auto& response = std::get<http_response>(reply);
  if (accepted.contains(response.status))
    return std::move(response);
  if (response.status >= 200 && response.status < 300) {
    auto failure = call_failure::undecodable(
        protocol::status::internal("unexpected HTTP status " + std::to_string(response.status)));
    failure.http_status = response.status;
    return failure;
  }
  auto failure = call_failure::refused(protocol::decode_error(response.status, response.body));
  failure.http_status = response.status;
  failure.retry_after_seconds = retry_after(response);
  failure.active_node = response.header("Vgls-Active-Node");
  return failure;
}

}  // namespace vgls::client
