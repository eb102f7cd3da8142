// Memory after a flood of bad requests: what vglsd allocates for a connection or a request is
// given back when it ends, so thousands of malformed, oversized and pipelined requests leave its
// resident size near where it started (docs/reliability.md has the figures). A memory bound, not
// a speed check: the flood takes as long as it takes.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "tests/server/e2e_steps.h"
#include "tests/server/raw_socket.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

constexpr int connections_per_wave = 200;
constexpr int kinds = 8;

// What connection `i` sends; every kind but the last is answered 4xx (the last is half a
// request, which the server drops at end-of-stream without an answer).
std::string bad_request(int i, std::mt19937& random) {
  auto junk = [&](std::size_t n) {
    std::string bytes(n, '\0');
    for (auto& b : bytes)
      b = static_cast<char>(random() & 0xff);
    return bytes;
  };
  const std::string post =
      "POST /v1/leases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
  switch (i % kinds) {
    case 0:  // not HTTP at all
      return junk(8 * 1024);
    case 1:  // a head just under the 16 KiB limit, to a route that does not exist
      return "GET /nothing HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(15000, 'h') + "\r\n\r\n";
    case 2:  // a head over the limit
      return "GET /v1/pools HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(20000, 'h') + "\r\n\r\n";
    case 3: {  // a body just under the 64 KiB limit that is no valid checkout (a label too long)
      const std::string body = R"({"client_id":"vm-x","edition":"vWS","labels":{"a":")" +
                               std::string(60000, 'a') + "\"}}";
      return post + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    }
    case 4:  // a body over the limit, of which 64 KiB is sent
      return post + "Content-Length: 1048576\r\n\r\n{" + std::string(64 * 1024, ' ');
    case 5: {  // 100 pipelined requests, then garbage
      std::string pipelined;
      for (int n = 0; n < 100; ++n)
        pipelined += "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n";
      return pipelined + junk(512);
    }
    case 6:  // a chunked body with a bad chunk size
      return post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + junk(64);
    default:  // half a head
      return "POST /v1/leases HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(8000, 'p');
  }
}

// One wave: `count` connections open at once, each sends its bad request and ends its side; then
// each answer is read to the close. Returns how many answers were not a 4xx.
int flood_wave(int port, int first, int count, std::mt19937& random) {
  std::vector<std::unique_ptr<raw_socket>> open;
  for (int i = first; i < first + count; ++i) {
    auto s = std::make_unique<raw_socket>(port);
    s->send(bad_request(i, random));
    s->finish_sending();
    open.push_back(std::move(s));
  }
  int wrong = 0;
  for (int i = first; i < first + count; ++i) {
    const std::string answer = open[static_cast<std::size_t>(i - first)]->read_until_close(20s);
    if (i % kinds != kinds - 1 && answer.rfind("HTTP/1.1 4", 0) != 0)
      ++wrong;
  }
  return wrong;
}

}  // namespace

TEST_CASE("thousands of bad requests leave resident memory bounded", "[e2e][bad_input][memory]") {
  // A small reserve of prepared signatures: filling the default one at idle priority would grow
  // resident memory while the test measures it.
  vglsd_process server(configured("[server]\nsigning_reserve = 1000\n"));
  auto c = server.client();
  REQUIRE(checkout(*c, "vm-0", "vWS").status == 201);
  std::mt19937 random(20);
  // One wave first, so that the baseline holds what a first use allocates once (thread caches,
  // SQLite's pages); then a pass of the server's return of free memory (every 5 s).
  CHECK(flood_wave(server.port(), 0, connections_per_wave, random) == 0);
  std::this_thread::sleep_for(6s);
  const std::size_t baseline = resident_bytes(server.pid());
  REQUIRE(baseline > 0);

  // 4,000 connections, 200 at a time: about 54,000 requests, 60 MiB of bodies and 17 MiB of
  // heads. A leak of 8 KiB per connection would be 32 MiB, one of 1 KiB per request 54 MiB.
  constexpr int total = 4000;
  int wrong = 0;
  std::size_t peak = 0;
  for (int first = connections_per_wave; first < connections_per_wave + total;
       first += connections_per_wave) {
    wrong += flood_wave(server.port(), first, connections_per_wave, random);
    peak = std::max(peak, resident_bytes(server.pid()));
  }
  CHECK(wrong == 0);
  REQUIRE(server.running());
  CHECK(checkout(*c, "vm-after", "vWS").status == 201);

  const std::size_t bound = baseline + (16u << 20);
  const bool came_back = wait_until([&] { return resident_bytes(server.pid()) < bound; }, 30s);
  const std::size_t settled = resident_bytes(server.pid());
  std::printf(
      "server e2e, bad-request flood: resident %zu KiB before, %zu KiB at most during, %zu KiB "
      "after\n",
      baseline / 1024, peak / 1024, settled / 1024);
  INFO("resident before " << baseline << " bytes, after " << settled << ", bound " << bound);
  CHECK(came_back);
}
