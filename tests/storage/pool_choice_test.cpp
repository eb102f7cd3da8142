// The pool-choice rule alone (SPEC §1 rule 3), without a database.
#include "storage/engine/pool_choice.h"

#include <catch2/catch.hpp>
#include <vector>

using namespace vgls;
using namespace vgls::storage;
using protocol::edition;
using protocol::error_code;

namespace {

constexpr protocol::unix_seconds now = 1'000'000;

pool_candidate pool(std::string_view id, edition e, std::int64_t seats, std::int64_t used,
                    std::optional<protocol::unix_seconds> expires_at,
                    protocol::unix_seconds starts_at = 0) {
  return {.id = id,
          .edition = e,
          .seats = seats,
          .used = used,
          .starts_at = starts_at,
          .expires_at = expires_at};
}

}  // namespace

TEST_CASE("exact edition wins over an upgrade that expires sooner", "[pool_choice]") {
  std::vector<pool_candidate> pools = {pool("ws", edition::vws, 5, 0, now + 10),
                                       pool("pc", edition::vpc, 5, 0, now + 1000)};
  CHECK(*choose_pool(pools, edition::vpc, true, now) == 1);
}

TEST_CASE("soonest expiry first, perpetual last, ties by id", "[pool_choice]") {
  std::vector<pool_candidate> pools = {
      pool("perp", edition::vws, 5, 0, std::nullopt), pool("b", edition::vws, 5, 0, now + 50),
      pool("a", edition::vws, 5, 0, now + 50), pool("late", edition::vws, 5, 0, now + 90)};
  CHECK(*choose_pool(pools, edition::vws, true, now) == 2);
  pools[2].used = 5;
  CHECK(*choose_pool(pools, edition::vws, true, now) == 1);
  pools[1].used = 5;
  CHECK(*choose_pool(pools, edition::vws, true, now) == 3);
  pools[3].used = 5;
  CHECK(*choose_pool(pools, edition::vws, true, now) == 0);
  pools[0].used = 5;
  CHECK(choose_pool(pools, edition::vws, true, now).error().code() ==
        error_code::no_seat_available);
}

TEST_CASE("errors: none can serve, none active, all full", "[pool_choice]") {
  std::vector<pool_candidate> pools = {pool("app", edition::vapp, 5, 0, now + 10)};
  CHECK(choose_pool(pools, edition::vws, true, now).error().code() ==
        error_code::no_pool_for_edition);
  CHECK(choose_pool(pools, edition::vapp, true, now + 10).error().code() ==
        error_code::license_expired);
  pools.push_back(pool("future", edition::vapp, 5, 0, now + 100, now + 50));
  CHECK(choose_pool(pools, edition::vapp, true, now + 10).error().code() ==
        error_code::license_expired);
  pools.push_back(pool("full", edition::vapp, 1, 1, now + 100));
  CHECK(choose_pool(pools, edition::vapp, true, now + 10).error().code() ==
        error_code::no_seat_available);
}

TEST_CASE("vApp and vWS are never upgraded; vCS is, unless disabled", "[pool_choice]") {
  std::vector<pool_candidate> pools = {pool("ws", edition::vws, 5, 0, now + 10)};
  CHECK(choose_pool(pools, edition::vapp, true, now).error().code() ==
        error_code::no_pool_for_edition);
  CHECK(*choose_pool(pools, edition::vcs, true, now) == 0);
  CHECK(choose_pool(pools, edition::vcs, false, now).error().code() ==
        error_code::no_pool_for_edition);
}
