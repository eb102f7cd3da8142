#include "agent/renewal_schedule.h"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using vgls::agent::renewal_delay;
using vgls::agent::renewal_interval;

TEST_CASE("renewal follows the server's hint when the lease is long", "[agent][renewal]") {
  CHECK(renewal_interval(12960s, 86400s) == 12960s);
  CHECK(renewal_delay(12960s, 86400s, 0.0) == 12960s);
}

TEST_CASE("renewal comes no sooner than every 30 s in a pool's last minutes", "[agent][renewal]") {
  // A pool ending in 5 minutes: the server hints 45 s, then 10 s, then 1 s.
  CHECK(renewal_interval(45s, 300s) == 45s);
  CHECK(renewal_interval(10s, 120s) == 30s);
  CHECK(renewal_interval(1s, 60s) == 30s);
  CHECK(renewal_interval(0s, 60s) == 30s);
}

TEST_CASE("a lease ending within the floor is renewed a few seconds before its end",
          "[agent][renewal]") {
  CHECK(renewal_interval(1s, 20s) == 15s);
  CHECK(renewal_interval(1s, 6s) == 1s);
  // Never a tight loop, even for a lease that is about to end or already has.
  CHECK(renewal_interval(0s, 2s) == 1s);
  CHECK(renewal_interval(0s, 0s) == 1s);
  CHECK(renewal_delay(0s, 0s, 1.0) == 1s);
}

TEST_CASE("jitter adds at most 10 % of the interval", "[agent][renewal]") {
  CHECK(renewal_delay(1000s, 86400s, 0.0) == 1000s);
  CHECK(renewal_delay(1000s, 86400s, 0.5) == 1050s);
  CHECK(renewal_delay(1000s, 86400s, 1.0) == 1100s);
  CHECK(renewal_delay(1000s, 86400s, 7.0) == 1100s);
  CHECK(renewal_delay(1000s, 86400s, -1.0) == 1000s);
  // Delays drawn across a fleet differ.
  CHECK(renewal_delay(30s, 300s, 0.1) != renewal_delay(30s, 300s, 0.9));
}

TEST_CASE("jitter never moves a renewal past the margin before the end", "[agent][renewal]") {
  // Lease ends in 33 s: the 5 s margin wins over the 30 s floor, and leaves no room for jitter.
  CHECK(renewal_interval(1s, 33s) == 28s);
  CHECK(renewal_delay(1s, 33s, 1.0) == 28s);
  // Lease ends in 34 s: interval 29 s, so no room past 29 s.
  CHECK(renewal_delay(1s, 34s, 1.0) == 29s);
  // Lease ends in 40 s: interval 30 s, room up to 35 s, capped at 10 % = 3 s.
  CHECK(renewal_delay(1s, 40s, 1.0) == 33s);
  // Hint equal to the ttl: renewal at the margin, no jitter past it.
  CHECK(renewal_delay(3600s, 3600s, 1.0) == 3595s);
}
