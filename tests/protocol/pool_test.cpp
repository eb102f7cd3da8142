#include "protocol/pool.h"

#include <catch2/catch.hpp>

using namespace vgls::protocol;

namespace {

pool make_pool(unix_seconds starts_at, std::optional<unix_seconds> expires_at) {
  pool p;
  p.id = "vws-main";
  p.edition = edition::vws;
  p.seats = 10;
  p.kind = expires_at ? pool_kind::subscription : pool_kind::perpetual;
  p.starts_at = starts_at;
  p.expires_at = expires_at;
  return p;
}

}  // namespace

TEST_CASE("pool kinds and states have SPEC spellings") {
  CHECK(to_string(pool_kind::trial) == "trial");
  CHECK(to_string(pool_kind::subscription) == "subscription");
  CHECK(to_string(pool_kind::perpetual) == "perpetual");
  for (pool_kind k : {pool_kind::trial, pool_kind::subscription, pool_kind::perpetual}) {
    CHECK(parse_pool_kind(to_string(k)) == k);
  }
  CHECK_FALSE(parse_pool_kind("").has_value());
  CHECK_FALSE(parse_pool_kind("lifetime").has_value());
  CHECK(to_string(pool_state::active) == "active");
  CHECK(to_string(pool_state::expired) == "expired");
  CHECK(to_string(pool_state::not_started) == "not_started");
}

TEST_CASE("a pool is active from starts_at until just before expires_at") {
  const pool p = make_pool(1000, 2000);
  CHECK(state_at(p, 999) == pool_state::not_started);
  CHECK(state_at(p, 1000) == pool_state::active);
  CHECK(state_at(p, 1999) == pool_state::active);
  CHECK(state_at(p, 2000) == pool_state::expired);
  CHECK(state_at(p, 5000) == pool_state::expired);
}

TEST_CASE("a perpetual pool never expires") {
  const pool p = make_pool(1000, std::nullopt);
  CHECK(state_at(p, 999) == pool_state::not_started);
  CHECK(state_at(p, 1000) == pool_state::active);
  CHECK(state_at(p, 4102444800) == pool_state::active);
  CHECK_FALSE(days_left_at(p, 1000).has_value());
}

TEST_CASE("days_left is whole days rounded down, 0 once expired") {
  const unix_seconds expires = 100 * seconds_per_day;
  const pool p = make_pool(0, expires);
  CHECK(days_left_at(p, 0) == 100);
  CHECK(days_left_at(p, expires - seconds_per_day) == 1);
  CHECK(days_left_at(p, expires - seconds_per_day - 1) == 1);
  CHECK(days_left_at(p, expires - seconds_per_day + 1) == 0);
  CHECK(days_left_at(p, expires - 1) == 0);
  CHECK(days_left_at(p, expires) == 0);
  CHECK(days_left_at(p, expires + 10 * seconds_per_day) == 0);
}
