#include <catch2/catch.hpp>

#include "protocol/percent_encoding.h"
#include "protocol/query_codec.h"

using namespace vgls::protocol;

namespace {

template <class T>
void check_refused(const result<T>& decoded, error_code code, std::string_view field) {
  REQUIRE_FALSE(decoded.is_ok());
  CHECK(decoded.error().code() == code);
  CHECK(decoded.error().field() == field);
}

constexpr unix_seconds now = 1795514400;

}  // namespace

TEST_CASE("lease query defaults and filters") {
  const auto defaults = decode_lease_query({});
  REQUIRE(defaults.is_ok());
  CHECK(defaults->limit == 100);
  CHECK_FALSE(defaults->pool_id.has_value());
  CHECK_FALSE(defaults->edition.has_value());
  CHECK_FALSE(defaults->client_id.has_value());
  CHECK_FALSE(defaults->hostname_prefix.has_value());
  CHECK_FALSE(defaults->after.has_value());

  const auto full = decode_lease_query({{"pool", "trial-vws"},
                                        {"edition", "rtx-vws"},
                                        {"client_id", "vm1"},
                                        {"hostname", "vdi-"},
                                        {"limit", "1000"},
                                        {"after", "opaque"},
                                        {"unknown", "ignored"}});
  REQUIRE(full.is_ok());
  CHECK(full->pool_id == "trial-vws");
  CHECK(full->edition == edition::vws);
  CHECK(full->client_id == "vm1");
  CHECK(full->hostname_prefix == "vdi-");
  CHECK(full->limit == 1000);
  CHECK(full->after == "opaque");

  const auto empty_values = decode_lease_query({{"pool", ""}, {"after", ""}});
  REQUIRE(empty_values.is_ok());
  CHECK_FALSE(empty_values->pool_id.has_value());
  CHECK_FALSE(empty_values->after.has_value());
}

TEST_CASE("lease query limit is 1..1000 and edition must be known") {
  CHECK(decode_lease_query({{"limit", "1"}})->limit == 1);
  for (const char* limit :
       {"0", "1001", "-1", "abc", "1.5", " 5", "5 ", "+5", "99999999999999999999"}) {
    CAPTURE(limit);
    check_refused(decode_lease_query({{"limit", limit}}), error_code::invalid_request, "limit");
  }
  check_refused(decode_lease_query({{"edition", "gold"}}), error_code::unknown_edition, "edition");
}

TEST_CASE("event query: after, limit and type") {
  const auto defaults = decode_event_query({});
  REQUIRE(defaults.is_ok());
  CHECK(defaults->after == 0);
  CHECK(defaults->limit == 100);
  CHECK_FALSE(defaults->type.has_value());

  const auto full =
      decode_event_query({{"after", "42"}, {"limit", "10"}, {"type", "lease.denied"}});
  REQUIRE(full.is_ok());
  CHECK(full->after == 42);
  CHECK(full->limit == 10);
  CHECK(full->type == "lease.denied");

  check_refused(decode_event_query({{"after", "-1"}}), error_code::invalid_request, "after");
  check_refused(decode_event_query({{"after", "x"}}), error_code::invalid_request, "after");
  check_refused(decode_event_query({{"limit", "0"}}), error_code::invalid_request, "limit");
  check_refused(decode_event_query({{"limit", "1001"}}), error_code::invalid_request, "limit");
  check_refused(decode_event_query({{"type", "lease.stolen"}}), error_code::invalid_request,
                "type");
}

TEST_CASE("usage query defaults to the last 24 hours in 1 h buckets") {
  const auto defaults = decode_usage_query({}, now);
  REQUIRE(defaults.is_ok());
  // Up to now, the current second included (`to` is exclusive).
  CHECK(defaults->to == usage_end_through(now));
  CHECK(usage_end_through(now) == now + 1);
  CHECK(defaults->from == now - 86400);
  CHECK(defaults->bucket_seconds == 3600);
  CHECK_FALSE(defaults->edition.has_value());

  // `from` defaults relative to a given `to`.
  const auto to_only = decode_usage_query({{"to", "2026-11-24T10:00:00Z"}}, now + 999);
  REQUIRE(to_only.is_ok());
  CHECK(to_only->to == now);
  CHECK(to_only->from == now - 86400);
}

TEST_CASE("usage query accepts every SPEC bucket") {
  const std::pair<const char*, std::int64_t> buckets[] = {
      {"1m", 60}, {"5m", 300}, {"15m", 900}, {"1h", 3600}, {"6h", 21600}, {"1d", 86400}};
  for (const auto& [text, seconds] : buckets) {
    CAPTURE(text);
    const auto decoded = decode_usage_query({{"bucket", text}}, now);
    REQUIRE(decoded.is_ok());
    CHECK(decoded->bucket_seconds == seconds);
  }
  for (const char* bad : {"2h", "60s", "1w", "hour", "0m"}) {
    CAPTURE(bad);
    check_refused(decode_usage_query({{"bucket", bad}}, now), error_code::invalid_request,
                  "bucket");
  }
}

TEST_CASE("usage query range and edition are checked") {
  const auto range = decode_usage_query({{"from", "2026-10-25T10:00:00Z"},
                                         {"to", "2026-11-24T10:00:00Z"},
                                         {"bucket", "1d"},
                                         {"edition", "vdws"}},
                                        now);
  REQUIRE(range.is_ok());
  CHECK(range->from == now - 30 * 86400);
  CHECK(range->edition == edition::vws);

  check_refused(
      decode_usage_query({{"from", "2026-11-24T10:00:00Z"}, {"to", "2026-11-24T10:00:00Z"}}, now),
      error_code::invalid_request, "from");
  check_refused(decode_usage_query({{"from", "2026-11-25T10:00:00Z"}}, now),
                error_code::invalid_request, "from");
  check_refused(decode_usage_query({{"from", "last week"}}, now), error_code::invalid_request,
                "from");
  check_refused(decode_usage_query({{"to", "2026-11-24"}}, now), error_code::invalid_request, "to");
  check_refused(decode_usage_query({{"edition", "platinum"}}, now), error_code::unknown_edition,
                "edition");
  // Ten years in one-minute buckets is refused rather than computed.
  check_refused(decode_usage_query({{"from", "2016-11-24T10:00:00Z"}, {"bucket", "1m"}}, now),
                error_code::invalid_request, "bucket");
}

TEST_CASE("force flag is true, false or absent") {
  CHECK(*decode_force_flag({}) == false);
  CHECK(*decode_force_flag({{"force", "true"}}) == true);
  CHECK(*decode_force_flag({{"force", "false"}}) == false);
  for (const char* bad : {"", "yes", "1", "TRUE"}) {
    CAPTURE(bad);
    check_refused(decode_force_flag({{"force", bad}}), error_code::invalid_request, "force");
  }
}

TEST_CASE("percent_encode keeps unreserved characters and encodes every other byte") {
  CHECK(vgls::protocol::percent_encode("vdi-01_a.b~Z9") == "vdi-01_a.b~Z9");
  CHECK(vgls::protocol::percent_encode("a b&c=d/e#f") == "a%20b%26c%3Dd%2Fe%23f");
  CHECK(vgls::protocol::percent_encode("\xc3\xa9") == "%C3%A9");
  CHECK(vgls::protocol::percent_encode("").empty());
}
