// The true-up figures of `vglsctl usage --summary`, from the usage buckets alone.
#include "ctl/usage_summary.h"

#include <catch2/catch.hpp>

using namespace vgls::ctl;
using vgls::protocol::edition;
using vgls::protocol::usage_bucket;

namespace {

usage_bucket bucket(std::int64_t start, edition e, std::int64_t peak, std::int64_t seats,
                    std::int64_t granted, std::int64_t denied) {
  usage_bucket b;
  b.start = start;
  b.edition = e;
  b.peak_used = peak;
  b.seats = seats;
  b.granted = granted;
  b.denied = denied;
  return b;
}

}  // namespace

TEST_CASE("usage summary: peak is the highest bucket, first reached; grants and denials summed") {
  const std::vector<usage_bucket> buckets = {
      bucket(0, edition::vpc, 3, 10, 3, 0),   bucket(0, edition::vws, 0, 4, 0, 1),
      bucket(100, edition::vpc, 7, 10, 5, 2), bucket(100, edition::vws, 0, 4, 0, 0),
      bucket(200, edition::vpc, 7, 12, 1, 0), bucket(200, edition::vws, 0, 4, 0, 3),
      bucket(300, edition::vpc, 2, 12, 0, 0), bucket(300, edition::vws, 0, 0, 0, 0),
  };
  const auto summary = summarize_usage(buckets);
  REQUIRE(summary.size() == 2);

  CHECK(summary[0].edition == edition::vpc);
  CHECK(summary[0].peak_used == 7);
  CHECK(summary[0].peak_at == 100);
  CHECK(summary[0].seats == 12);  // at the period's end
  CHECK(summary[0].granted == 9);
  CHECK(summary[0].denied == 2);

  CHECK(summary[1].edition == edition::vws);
  CHECK(summary[1].peak_used == 0);
  CHECK_FALSE(summary[1].peak_at);
  CHECK(summary[1].seats == 0);  // its pool ended before the period did
  CHECK(summary[1].granted == 0);
  CHECK(summary[1].denied == 4);  // counted by requested edition, even with no seats at all
}

TEST_CASE("usage summary: editions in SPEC order, none without buckets") {
  const std::vector<usage_bucket> buckets = {bucket(0, edition::vcs, 1, 1, 1, 0),
                                             bucket(0, edition::vapp, 2, 2, 2, 0)};
  const auto summary = summarize_usage(buckets);
  REQUIRE(summary.size() == 2);
  CHECK(summary[0].edition == edition::vapp);
  CHECK(summary[1].edition == edition::vcs);
  CHECK(summarize_usage({}).empty());
}
