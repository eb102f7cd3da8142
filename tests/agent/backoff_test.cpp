#include "agent/backoff.h"

#include <catch2/catch.hpp>

using std::chrono::milliseconds;
using vgls::agent::backoff;

TEST_CASE("backoff starts near the initial delay, doubles, and stays under the cap", "[backoff]") {
  backoff b(milliseconds(1000), milliseconds(60000), 42);
  milliseconds base(1000);
  for (int round = 0; round < 20; ++round) {
    const auto delay = b.next();
    // Jitter only shortens: between 80 % and 100 % of the base.
    CHECK(delay <= base);
    CHECK(delay >= base * 4 / 5);
    CHECK(delay <= milliseconds(60000));
    base = std::min(base * 2, milliseconds(60000));
  }
  CHECK(b.rounds() == 20);
}

TEST_CASE("backoff reaches the cap and stays there", "[backoff]") {
  backoff b(milliseconds(1000), milliseconds(60000), 7);
  for (int round = 0; round < 7; ++round) {
    b.next();
  }
  for (int round = 0; round < 50; ++round) {
    const auto delay = b.next();
    CHECK(delay >= milliseconds(48000));
    CHECK(delay <= milliseconds(60000));
  }
}

TEST_CASE("backoff reset starts over", "[backoff]") {
  backoff b(milliseconds(1000), milliseconds(60000), 1);
  for (int round = 0; round < 10; ++round) {
    b.next();
  }
  b.reset();
  CHECK(b.rounds() == 0);
  CHECK(b.next() <= milliseconds(1000));
}

TEST_CASE("backoff jitter spreads agents that share a schedule", "[backoff]") {
  // Two agents seeded differently should not retry at the same instants.
  backoff first(milliseconds(1000), milliseconds(60000), 1);
  backoff second(milliseconds(1000), milliseconds(60000), 2);
  int different = 0;
  for (int round = 0; round < 10; ++round) {
    different += first.next() != second.next() ? 1 : 0;
  }
  CHECK(different > 0);
}

TEST_CASE("a cap below the initial delay wins", "[backoff]") {
  backoff b(milliseconds(1000), milliseconds(300), 3);
  for (int round = 0; round < 5; ++round) {
    CHECK(b.next() <= milliseconds(300));
  }
}
