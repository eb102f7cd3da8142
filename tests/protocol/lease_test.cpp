#include "protocol/lease.h"

#include <catch2/catch.hpp>

using namespace vgls::protocol;

TEST_CASE("renew_after is max(1, floor(ttl x fraction))") {
  CHECK(renew_after(86400, 0.15) == 12960);
  CHECK(renew_after(86400, 0.5) == 43200);
  CHECK(renew_after(100, 0.155) == 15);  // rounded down
  CHECK(renew_after(5, 0.15) == 1);      // floor 0 → 1
  CHECK(renew_after(1, 0.15) == 1);
  CHECK(renew_after(0, 0.15) == 1);
  CHECK(renew_after(-10, 0.15) == 1);
}

TEST_CASE("renew_after stays positive and within the lease for odd fractions") {
  CHECK(renew_after(100, 0.0) == 1);
  CHECK(renew_after(100, -1.0) == 1);
  CHECK(renew_after(100, 1.0) == 100);
  CHECK(renew_after(100, 5.0) == 100);
  CHECK(renew_after(100, std::numeric_limits<double>::quiet_NaN()) == 1);
  CHECK(renew_after(100, std::numeric_limits<double>::infinity()) == 100);
}
