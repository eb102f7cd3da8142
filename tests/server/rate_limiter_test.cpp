#include "server/http/rate_limiter.h"

#include <catch2/catch.hpp>

using vgls::server::rate_limiter;
using namespace std::chrono_literals;

TEST_CASE("a rate of 0 never limits", "[rate_limiter]") {
  rate_limiter limiter(0);
  CHECK_FALSE(limiter.enabled());
  const auto now = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i)
    CHECK_FALSE(limiter.admit("10.0.0.1", now));
}

TEST_CASE("each address gets a burst of `rate` requests, then waits", "[rate_limiter]") {
  rate_limiter limiter(5);
  const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
  for (int i = 0; i < 5; ++i)
    CHECK_FALSE(limiter.admit("10.0.0.1", t0));
  auto wait = limiter.admit("10.0.0.1", t0);
  REQUIRE(wait);
  CHECK(*wait == 1);
  // Other addresses are not affected.
  CHECK_FALSE(limiter.admit("10.0.0.2", t0));
  // Tokens come back at `rate` per second.
  CHECK_FALSE(limiter.admit("10.0.0.1", t0 + 200ms));
  CHECK(limiter.admit("10.0.0.1", t0 + 200ms));
  for (int i = 0; i < 5; ++i)
    CHECK_FALSE(limiter.admit("10.0.0.1", t0 + 2s));
  CHECK(limiter.admit("10.0.0.1", t0 + 2s));
}

TEST_CASE("slow rates ask for a longer wait", "[rate_limiter]") {
  rate_limiter limiter(0.1);  // one request per 10 s
  const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
  CHECK_FALSE(limiter.admit("a", t0));
  auto wait = limiter.admit("a", t0);
  REQUIRE(wait);
  CHECK(*wait == 10);
}
