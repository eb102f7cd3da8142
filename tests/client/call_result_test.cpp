// The one decoder of vgls answers that the agent and vglsctl share: each kind of answer a server
// (or something in front of it) can give, and what the client is told about it.
#include "client/call_result.h"

#include <catch2/catch.hpp>

#include "protocol/answer_codec.h"

using namespace vgls;
using client::call_failure;
using protocol::error_code;

namespace {

client::http_response answer(int status, std::string body,
                             std::vector<std::pair<std::string, std::string>> headers = {}) {
  client::http_response response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

std::string error_body(const std::string& code, const std::string& message,
                       const std::string& field = {}) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!field.empty())
    error["field"] = field;
  return nlohmann::json{{"error", error}}.dump();
}

std::string a_lease() {
  protocol::lease l;
  l.id = "lse_0123456789abcdefghijkl";
  l.client_id = "vm-1";
  l.requested_edition = protocol::edition::vpc;
  l.granted_edition = protocol::edition::vws;
  l.pool_id = "p";
  l.ttl_seconds = 86400;
  l.renew_after_seconds = 12960;
  return protocol::encode_lease_answer(l);
}

}  // namespace

TEST_CASE("call_result: an accepted status is the answer") {
  auto ok = client::read_answer(answer(201, "{}"), {200, 201});
  REQUIRE(ok.is_ok());
  CHECK(ok->status == 201);
  CHECK(ok->body == "{}");

  auto none = client::read_answer(answer(204, ""), client::accepted_statuses::any_success());
  CHECK(none.is_ok());
  CHECK(client::read_answer(answer(202, ""), client::accepted_statuses::any_success()).is_ok());
  CHECK_FALSE(
      client::read_answer(answer(404, ""), client::accepted_statuses::any_success()).is_ok());
}

TEST_CASE("call_result: an accepted answer is decoded into its value") {
  auto lease =
      client::read_answer(answer(200, a_lease()), {200, 201}, &protocol::decode_lease_answer);
  INFO((lease.is_ok() ? std::string() : lease.error().describe()));
  REQUIRE(lease.is_ok());
  CHECK(lease->id == "lse_0123456789abcdefghijkl");
  CHECK(lease->granted_edition == protocol::edition::vws);
}

TEST_CASE("call_result: no answer at all is unreachable") {
  auto failed = client::read_answer(
      client::transport_error{"cannot connect to http://127.0.0.1:9: Connection refused"}, {200});
  REQUIRE_FALSE(failed.is_ok());
  const call_failure& f = failed.error();
  CHECK(f.what == call_failure::kind::unreachable);
  CHECK_FALSE(f.reached());
  CHECK_FALSE(f.from_standby());
  CHECK(f.http_status == 0);
  CHECK(f.status.code() == error_code::unavailable);
  CHECK(f.describe() == "unreachable: cannot connect to http://127.0.0.1:9: Connection refused");
}

TEST_CASE("call_result: an error answer is refused with its SPEC code, message and field") {
  auto failed = client::read_answer(
      answer(409, error_body("no_seat_available", "every pool that could serve vWS is full")),
      {200, 201});
  REQUIRE_FALSE(failed.is_ok());
  const call_failure& f = failed.error();
  CHECK(f.what == call_failure::kind::refused);
  CHECK(f.reached());
  CHECK(f.http_status == 409);
  CHECK(f.status.code() == error_code::no_seat_available);
  CHECK(f.describe() == "no_seat_available: every pool that could serve vWS is full");
  CHECK_FALSE(f.from_standby());

  auto invalid = client::read_answer(
      answer(400, error_body("invalid_request", "after: not a cursor", "after")), {200});
  REQUIRE_FALSE(invalid.is_ok());
  CHECK(invalid.error().status.field() == "after");

  auto unauthorized = client::read_answer(
      answer(401, error_body("unauthorized", "missing token"), {{"WWW-Authenticate", "Bearer"}}),
      {200});
  REQUIRE_FALSE(unauthorized.is_ok());
  CHECK(unauthorized.error().status.code() == error_code::unauthorized);
}

TEST_CASE("call_result: an error answer without a SPEC body is named by its HTTP status") {
  auto proxy = client::read_answer(answer(502, "<html>Bad Gateway</html>"), {200});
  REQUIRE_FALSE(proxy.is_ok());
  CHECK(proxy.error().what == call_failure::kind::refused);
  CHECK(proxy.error().status.code() == error_code::unavailable);
  CHECK(proxy.error().status.message() == "HTTP 502: <html>Bad Gateway</html>");
  CHECK_FALSE(proxy.error().from_standby());

  auto in_front = client::read_answer(answer(403, ""), {200});
  REQUIRE_FALSE(in_front.is_ok());
  CHECK(in_front.error().status.code() == error_code::unauthorized);
}

TEST_CASE("call_result: 503 from a standby carries Retry-After and the active node") {
  const std::string unavailable = error_body("unavailable", "this node is a standby");
  auto named = client::read_answer(
      answer(503, unavailable, {{"Retry-After", "1"}, {"vgls-active-node", "http://vgls2:7070"}}),
      {200});
  REQUIRE_FALSE(named.is_ok());
  CHECK(named.error().http_status == 503);
  CHECK(named.error().retry_after_seconds == 1);
  CHECK(named.error().active_node == "http://vgls2:7070");
  CHECK(named.error().from_standby());

  // Retry-After: 1 alone is a standby that knows no active node yet.
  auto unnamed = client::read_answer(answer(503, unavailable, {{"Retry-After", "1"}}), {200});
  REQUIRE_FALSE(unnamed.is_ok());
  CHECK(unnamed.error().active_node.empty());
  CHECK(unnamed.error().from_standby());

  // A node whose own storage fails asks for longer: not a standby.
  auto failing = client::read_answer(
      answer(503, error_body("unavailable", "storage is failing"), {{"Retry-After", "5"}}), {200});
  REQUIRE_FALSE(failing.is_ok());
  CHECK(failing.error().retry_after_seconds == 5);
  CHECK_FALSE(failing.error().from_standby());
}

TEST_CASE("call_result: 429 carries Retry-After when it is a number") {
  auto limited = client::read_answer(
      answer(429, error_body("rate_limited", "slow down"), {{"Retry-After", "3"}}), {200});
  REQUIRE_FALSE(limited.is_ok());
  CHECK(limited.error().status.code() == error_code::rate_limited);
  CHECK(limited.error().retry_after_seconds == 3);

  auto dated = client::read_answer(
      answer(429, "", {{"Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"}}), {200});
  REQUIRE_FALSE(dated.is_ok());
  CHECK_FALSE(dated.error().retry_after_seconds);
  CHECK_FALSE(client::read_answer(answer(429, "", {{"Retry-After", "99999999999"}}), {200})
                  .error()
                  .retry_after_seconds);
}

TEST_CASE("call_result: a success the client cannot use is undecodable") {
  auto other_status = client::read_answer(answer(204, ""), {200});
  REQUIRE_FALSE(other_status.is_ok());
  CHECK(other_status.error().what == call_failure::kind::undecodable);
  CHECK(other_status.error().reached());
  CHECK(other_status.error().status.code() == error_code::internal_error);
  CHECK(other_status.error().describe() == "internal_error: unexpected HTTP status 204");

  auto garbage =
      client::read_answer(answer(200, "<html>"), {200, 201}, &protocol::decode_lease_answer);
  REQUIRE_FALSE(garbage.is_ok());
  CHECK(garbage.error().what == call_failure::kind::undecodable);
  CHECK(garbage.error().http_status == 200);
  CHECK(garbage.error().status.code() == error_code::internal_error);
  CHECK(garbage.error().status.message().starts_with("unreadable answer: "));

  auto wrong_object =
      client::read_answer(answer(200, R"({"pools": []})"), {200}, &protocol::decode_lease_answer);
  REQUIRE_FALSE(wrong_object.is_ok());
  CHECK(wrong_object.error().what == call_failure::kind::undecodable);
}

TEST_CASE("call_result: a refusal stays a refusal through the body decoder") {
  auto refused = client::read_answer(answer(404, error_body("lease_not_found", "gone")), {200},
                                     &protocol::decode_lease_answer);
  REQUIRE_FALSE(refused.is_ok());
  CHECK(refused.error().what == call_failure::kind::refused);
  CHECK(refused.error().status.code() == error_code::lease_not_found);
}
