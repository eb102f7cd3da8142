#include "protocol/pool_rules.h"

#include <catch2/catch.hpp>

using namespace vgls::protocol;

namespace {

constexpr unix_seconds now = 1'800'000'000;  // 2027-01-15T08:00:00Z

pool_create_request subscription() {
  pool_create_request r;
  r.id = "vws-main";
  r.edition = edition::vws;
  r.seats = 10;
  r.kind = pool_kind::subscription;
  r.expires_at = now + 100 * seconds_per_day;
  return r;
}

std::string field_of(const pool_create_request& r) {
  auto broken = check_pool_request(r);
  REQUIRE(broken);
  return broken->field;
}

}  // namespace

TEST_CASE("a pool request keeps every rule, or names the field that does not") {
  CHECK_FALSE(check_pool_request(subscription()));

  auto r = subscription();
  r.id = "Bad Id";
  CHECK(field_of(r) == "id");
  r = subscription();
  r.seats = -1;
  CHECK(field_of(r) == "seats");
  r.seats = max_pool_seats + 1;
  CHECK(field_of(r) == "seats");
  r.seats = max_pool_seats;
  CHECK_FALSE(check_pool_request(r));

  r = subscription();
  r.expires_at.reset();
  r.days = 0;
  CHECK(field_of(r) == "days");
  r.days = max_pool_days + 1;
  CHECK(field_of(r) == "days");
  r.days = max_pool_days;
  CHECK_FALSE(check_pool_request(r));

  r = subscription();
  r.days = 30;  // and expires_at
  CHECK(field_of(r).empty());
  r = subscription();
  r.expires_at.reset();
  CHECK(field_of(r).empty());
  r = subscription();
  r.kind = pool_kind::perpetual;
  CHECK(field_of(r) == "expires_at");
  r = subscription();
  r.starts_at = *r.expires_at;
  CHECK(field_of(r) == "expires_at");
  // The fields alone: what a store checks before it resolves the dates itself.
  CHECK_FALSE(check_pool_fields(r));
  r.id = "";
  REQUIRE(check_pool_fields(r));
  CHECK(check_pool_fields(r)->field == "id");
}

TEST_CASE("a request resolves against now: start defaults to now, days count from now") {
  auto r = subscription();
  r.expires_at.reset();
  r.days = 30;
  const pool p = resolve_pool(r, now);
  CHECK(p.id == "vws-main");
  CHECK(p.seats == 10);
  CHECK(p.starts_at == now);
  CHECK(p.expires_at == now + 30 * seconds_per_day);
  r.starts_at = now - 5;
  CHECK(resolve_pool(r, now).starts_at == now - 5);
}

TEST_CASE("a whole pool has an end exactly when it is not perpetual, after its start") {
  pool p = resolve_pool(subscription(), now);
  CHECK_FALSE(check_pool(p));
  p.expires_at = p.starts_at;
  auto broken = check_pool(p);
  REQUIRE(broken);
  CHECK(broken->field == "expires_at");
  CHECK(broken->reason.find("must be later than starts_at") == 0);
  p.expires_at.reset();
  REQUIRE(check_pool(p));
  p.kind = pool_kind::perpetual;
  CHECK_FALSE(check_pool(p));
  p.expires_at = now + 1;
  REQUIRE(check_pool(p));
  CHECK(check_pool(p)->reason == "a perpetual pool never expires");
}

TEST_CASE("a declared pool has ended once its expires_at is not ahead of now") {
  auto r = subscription();
  CHECK_FALSE(declared_pool_ended(r, now));
  r.expires_at = now;
  auto ended = declared_pool_ended(r, now);
  REQUIRE(ended);
  CHECK(ended->find("ended at 2027-01-15T08:00:00Z") == 0);
  r.expires_at.reset();
  r.days = 30;
  CHECK_FALSE(declared_pool_ended(r, now));  // days count from the pool's creation
  r.days.reset();
  r.kind = pool_kind::perpetual;
  CHECK_FALSE(declared_pool_ended(r, now));
}
