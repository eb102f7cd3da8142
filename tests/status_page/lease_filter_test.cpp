// Reading the lease filter from the status page's query parameters.
#include "server/status_page/lease_filter.h"

#include <catch2/catch.hpp>

using namespace vgls;
using namespace vgls::server;

TEST_CASE("empty parameters are absent; known ones become the store query") {
  std::vector<std::string> problems;
  const auto filter = parse_lease_filter({{"pool", "trial-vws"},
                                          {"edition", "rtx-vws"},
                                          {"client", ""},
                                          {"hostname", "vdi-"},
                                          {"after", "abc"},
                                          {"unknown", "x"}},
                                         problems);
  CHECK(problems.empty());
  CHECK(filter.pool == "trial-vws");
  CHECK(filter.edition == protocol::edition::vws);
  CHECK_FALSE(filter.client);
  CHECK(filter.any());
  const auto query = to_lease_query(filter, 50);
  CHECK(query.pool_id == "trial-vws");
  CHECK(query.hostname_prefix == "vdi-");
  CHECK(query.after == "abc");
  CHECK(query.limit == 50);
}

TEST_CASE("an unknown edition or an over-long value is ignored and explained") {
  std::vector<std::string> problems;
  const auto filter =
      parse_lease_filter({{"edition", "vXX"}, {"client", std::string(300, 'c')}}, problems);
  CHECK_FALSE(filter.edition);
  CHECK_FALSE(filter.client);
  CHECK_FALSE(filter.any());
  REQUIRE(problems.size() == 2);
}

TEST_CASE("links percent-encode values and keep the filter") {
  lease_filter filter;
  filter.client = "a b&c";
  CHECK(filter_link(filter, std::nullopt) == "/?client=a%20b%26c#leases");
  CHECK(filter_link(filter, "n/1") == "/?client=a%20b%26c&after=n%2F1#leases");
  CHECK(filter_link({}, std::nullopt) == "/#leases");
}
