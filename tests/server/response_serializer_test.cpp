// The connection writes answers with its own serializer; clients saw Beast's bytes before, so
// every answer must come out exactly as Beast writes the same message.
#include "server/net/response_serializer.h"

#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <sstream>
#include <stdexcept>

namespace http = boost::beast::http;
using vgls::server::outgoing_response;
using vgls::server::serialize_continue;
using vgls::server::serialize_response;

namespace {

// What the connection used to write: the message built from the answer, serialized by Beast.
std::string beast_bytes(const outgoing_response& answer, unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(answer.status), version};
  if (!answer.content_type.empty())
    res.set(http::field::content_type, answer.content_type);
  for (const auto& [name, value] : answer.headers)
    res.set(name, value);
  res.body() = answer.body;
  res.keep_alive(keep_alive);
  res.prepare_payload();
  std::ostringstream os;
  os << res;
  return os.str();
}

std::string our_bytes(const outgoing_response& answer, unsigned version, bool keep_alive) {
  std::string out = "left over from the previous answer";
  serialize_response(answer, version, keep_alive, out);
  return out;
}

outgoing_response json(int status, std::string body) {
  outgoing_response answer;
  answer.status = status;
  answer.content_type = "application/json";
  answer.body = std::move(body);
  return answer;
}

}  // namespace

TEST_CASE("answers are the bytes Beast wrote, for every version and keep-alive",
          "[response_serializer]") {
  outgoing_response with_headers = json(405, R"({"error":{"code":"method_not_allowed"}})");
  with_headers.headers = {{"Allow", "POST, GET"}, {"Retry-After", "5"}};
  outgoing_response challenge = json(401, "{}");
  challenge.headers = {{"WWW-Authenticate", R"(Basic realm="vgls")"}};
  outgoing_response no_content;
  no_content.status = 204;
  outgoing_response page;
  page.status = 200;
  page.content_type = "text/html; charset=utf-8";
  page.body = std::string(70000, 'x');
  page.headers = {{"Cache-Control", "no-store"}};
  outgoing_response unusual = json(429, "{}");
  unusual.headers = {{"X-Repeated", "first"},
                     {"Other", "  padded\t"},
                     {"x-repeated", "second"},
                     {"content-type", "text/plain"}};
  outgoing_response unknown_status = json(299, "{}");

  for (const auto* answer :
       {&with_headers, &challenge, &no_content, &page, &unusual, &unknown_status}) {
    for (unsigned version : {10u, 11u}) {
      for (bool keep_alive : {true, false}) {
        INFO("status " << answer->status << ", version " << version << ", keep-alive "
                       << keep_alive);
        CHECK(our_bytes(*answer, version, keep_alive) == beast_bytes(*answer, version, keep_alive));
      }
    }
  }
}

TEST_CASE("the exact head of the common answers", "[response_serializer]") {
  CHECK(our_bytes(json(201, "{}"), 11, true) ==
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  CHECK(our_bytes(json(400, "{}"), 11, false) ==
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n"
        "Content-Length: 2\r\n\r\n{}");
  CHECK(our_bytes(json(200, "{}"), 10, true) ==
        "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
        "Content-Length: 2\r\n\r\n{}");
  CHECK(our_bytes(json(200, "{}"), 10, false) ==
        "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  outgoing_response no_content;
  no_content.status = 204;
  CHECK(our_bytes(no_content, 11, true) == "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
}

TEST_CASE("100 Continue is a bare status line", "[response_serializer]") {
  std::string out = "stale";
  serialize_continue(11, out);
  CHECK(out == "HTTP/1.1 100 Continue\r\n\r\n");
  serialize_continue(10, out);
  CHECK(out == "HTTP/1.0 100 Continue\r\n\r\n");
}

TEST_CASE("a body on a 204 is refused, as Beast refused it", "[response_serializer]") {
  std::string out;
  CHECK_THROWS_AS(serialize_response(json(204, "{}"), 11, true, out), std::invalid_argument);
}
