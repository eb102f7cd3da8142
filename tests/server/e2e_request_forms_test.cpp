// HTTP/1.1 request forms a client may legitimately send (RFC 9112), and malformed framing: each
// gets an answer, and the server keeps serving others.
#include <catch2/catch.hpp>

#include "tests/server/e2e_steps.h"
#include "tests/server/raw_socket.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

TEST_CASE("an absolute-form target is served like its path", "[e2e][request_forms]") {
  vglsd_process server;
  raw_socket s(server.port());
  s.send("GET http://127.0.0.1:" + std::to_string(server.port()) +
         "/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto answer = s.read_until_close(5s);
  CHECK(answer.find("HTTP/1.1 200") == 0);
  CHECK(answer.find(server.healthz_body()) != std::string::npos);
}

TEST_CASE("a malformed chunked body is 400, then the connection closes", "[e2e][request_forms]") {
  vglsd_process server;
  raw_socket s(server.port());
  s.send(
      "POST /v1/leases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\nzz\r\n");
  auto answer = s.read_until_close(5s);
  CHECK(answer.find("HTTP/1.1 400") == 0);
  CHECK(answer.find("invalid_request") != std::string::npos);
  CHECK(checkout(*server.client(), "vm1", "vWS").status == 201);
}

TEST_CASE("pipelined requests are answered in order; HTTP/1.0 is answered as 1.0",
          "[e2e][request_forms]") {
  vglsd_process server;
  {
    raw_socket s(server.port());
    s.send(
        "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    auto answer = s.read_until_close(5s);
    const auto first = answer.find("HTTP/1.1 200");
    const auto second = answer.find("HTTP/1.1 404");
    const auto third = answer.find("HTTP/1.1 200", first + 1);
    CHECK(first == 0);
    CHECK(second != std::string::npos);
    CHECK(third != std::string::npos);
    CHECK(second < third);
  }
  {
    raw_socket s(server.port());
    s.send("GET /healthz HTTP/1.0\r\n\r\n");
    CHECK(s.read_until_close(5s).find("HTTP/1.0 200") == 0);
  }
}

TEST_CASE("a Transfer-Encoding that does not end in chunked is 400, then the connection closes",
          "[e2e][request_forms]") {
  vglsd_process server;
  raw_socket s(server.port());
  // Were the coding ignored, "GET /healthz" would be read as a second request.
  s.send(
      "POST /v1/leases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: gzip\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto answer = s.read_until_close(5s);
  CHECK(answer.find("HTTP/1.1 400") == 0);
  CHECK(answer.find("Transfer-Encoding") != std::string::npos);
  CHECK(answer.find("HTTP/1.1 200") == std::string::npos);
  CHECK(checkout(*server.client(), "vm1", "vWS").status == 201);
}
