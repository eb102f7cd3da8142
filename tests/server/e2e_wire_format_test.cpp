// The exact bytes of answers on the wire: status line, which headers, in which order, and the
// Connection header each HTTP version needs. Clients (and proxies) parse these bytes; a change in
// them is a change of the protocol even when every JSON body stays the same.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <thread>

#include "tests/server/e2e_steps.h"
#include "tests/server/raw_socket.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

const std::string not_found_body = R"({"error":{"code":"not_found","message":"no such route"}})";

std::string content_length(const std::string& body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n";
}

std::string json_head(const std::string& status_line, const std::string& connection,
                      const std::string& body) {
  return status_line + "\r\nContent-Type: application/json\r\n" + connection +
         content_length(body) + "\r\n";
}

std::string chunk(const std::string& data) {
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}

// Counts the non-overlapping occurrences of `needle`.
std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

}  // namespace

TEST_CASE("HTTP/1.1 keep-alive answers carry no Connection header; a close says so",
          "[e2e][wire_format]") {
  vglsd_process server;
  const std::string healthz_body = server.healthz_body();
  raw_socket s(server.port());
  s.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(s.read_until_close(500ms) == json_head("HTTP/1.1 200 OK", "", healthz_body) + healthz_body);
  s.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(s.read_until_close(5s) ==
        json_head("HTTP/1.1 200 OK", "Connection: close\r\n", healthz_body) + healthz_body);
}

TEST_CASE("HTTP/1.0 is answered as 1.0: keep-alive only when asked, and then said",
          "[e2e][wire_format]") {
  vglsd_process server;
  const std::string healthz_body = server.healthz_body();
  {
    raw_socket s(server.port());
    s.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    CHECK(s.read_until_close(500ms) ==
          json_head("HTTP/1.0 200 OK", "Connection: keep-alive\r\n", healthz_body) + healthz_body);
    // Still open: a second request on the same connection is answered.
    s.send("GET /nowhere HTTP/1.0\r\n\r\n");
    CHECK(s.read_until_close(5s) ==
          json_head("HTTP/1.0 404 Not Found", "", not_found_body) + not_found_body);
  }
  {
    raw_socket s(server.port());
    s.send("GET /healthz HTTP/1.0\r\n\r\n");
    CHECK(s.read_until_close(5s) == json_head("HTTP/1.0 200 OK", "", healthz_body) + healthz_body);
  }
}

TEST_CASE("extra headers sit between Content-Type and Content-Length", "[e2e][wire_format]") {
  vglsd_process server;
  raw_socket s(server.port());
  s.send("PUT /v1/leases HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto answer = s.read_until_close(5s);
  const std::string head =
      "HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json\r\nAllow: POST, GET\r\n"
      "Connection: close\r\nContent-Length: ";
  CHECK(answer.substr(0, head.size()) == head);
  const auto body_at = answer.find("\r\n\r\n");
  REQUIRE(body_at != std::string::npos);
  const auto body = answer.substr(body_at + 4);
  CHECK(answer.substr(head.size(), body_at - head.size()) == std::to_string(body.size()));
}

TEST_CASE("a release is 204 with Content-Length: 0 and nothing else", "[e2e][wire_format]") {
  vglsd_process server;
  auto granted = checkout(*server.client(), "vm1", "vWS");
  REQUIRE(granted.status == 201);
  const auto id = granted.body["lease"]["id"].get<std::string>();
  raw_socket s(server.port());
  s.send("DELETE /v1/leases/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(s.read_until_close(500ms) == "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
}

TEST_CASE("a request that is not HTTP gets a 400 that closes", "[e2e][wire_format]") {
  vglsd_process server;
  raw_socket s(server.port());
  s.send("GARBAGE\x01\r\n\r\n");
  const std::string body =
      R"({"error":{"code":"invalid_request","message":"malformed HTTP request: bad method"}})";
  CHECK(s.read_until_close(5s) ==
        json_head("HTTP/1.1 400 Bad Request", "Connection: close\r\n", body) + body);
}

TEST_CASE("Expect: 100-continue gets a bare interim answer before the final one",
          "[e2e][wire_format]") {
  vglsd_process server;
  raw_socket s(server.port());
  const std::string body = R"({"client_id":"vm1","edition":"vWS"})";
  s.send(
      "POST /v1/leases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n");
  CHECK(s.read_until_close(500ms) == "HTTP/1.1 100 Continue\r\n\r\n");
  s.send(body);
  const auto answer = s.read_until_close(500ms);
  CHECK(answer.find("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: ") ==
        0);
}

TEST_CASE("requests pipelined in one write, bodies included, are answered in order",
          "[e2e][wire_format]") {
  vglsd_process server;
  const std::string healthz_body = server.healthz_body();
  raw_socket s(server.port());
  const std::string body = R"({"client_id":"vm1","edition":"vWS"})";
  const std::string post =
      "POST /v1/leases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  const std::string chunked =
      "POST /v1/leases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n" +
      chunk(body.substr(0, 5)) + chunk(body.substr(5)) + "0\r\n\r\n";
  s.send(post + chunked + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto answer = s.read_until_close(5s);
  const auto first = answer.find("HTTP/1.1 201 Created\r\n");
  const auto second = answer.find("HTTP/1.1 200 OK\r\n");
  const auto third = answer.find(
      json_head("HTTP/1.1 200 OK", "Connection: close\r\n", healthz_body) + healthz_body);
  CHECK(first == 0);
  CHECK(second != std::string::npos);
  CHECK(third != std::string::npos);
  CHECK(second < third);
  CHECK(count_of(answer, "HTTP/1.1 ") == 3);
  // The repeated checkout found the first lease: the chunked body was read whole.
  CHECK(count_of(answer, R"("client_id":"vm1")") == 2);
}

TEST_CASE("a body arriving after its head, in pieces, is waited for", "[e2e][wire_format]") {
  vglsd_process server;
  raw_socket s(server.port());
  const std::string body = R"({"client_id":"vm1","edition":"vWS"})";
  s.send(
      "POST /v1/leases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 7));
  CHECK(s.read_until_close(300ms).empty());
  s.send(body.substr(7));
  CHECK(s.read_until_close(500ms).find("HTTP/1.1 201 Created\r\n") == 0);
}

TEST_CASE("answers that outgrow the socket's buffers while the client is not reading all arrive",
          "[e2e][wire_format]") {
  vglsd_process server;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  // A small receive window, and this much unread (6.7 MB), fill the server's socket buffers: its
  // sends then have to wait for the reader.
  const int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(server.port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);

  constexpr int requests = 50000;
  std::string all;
  for (int i = 0; i < requests - 1; ++i)
    all += "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n";
  all += "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::thread sender([&] {
    std::string_view rest = all;
    while (!rest.empty()) {
      const auto n = ::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
      if (n <= 0)
        return;
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
  });
  std::this_thread::sleep_for(1s);
  std::string received;
  char buffer[65536];
  while (true) {
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0)
      break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  sender.join();
  ::close(fd);

  const std::string keep_open =
      json_head("HTTP/1.1 404 Not Found", "", not_found_body) + not_found_body;
  const std::string last =
      json_head("HTTP/1.1 404 Not Found", "Connection: close\r\n", not_found_body) + not_found_body;
  CHECK(received.size() == keep_open.size() * (requests - 1) + last.size());
  CHECK(count_of(received, keep_open) == requests - 1);
  CHECK(received.substr(received.size() - last.size()) == last);
}
