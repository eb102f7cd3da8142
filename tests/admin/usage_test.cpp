// /v1/usage and `vglsctl usage --csv` against a scripted history on a real vglsd: 5 checkouts,
// 2 denials on the full pool, 3 releases → the period's peak is 5, 5 granted, 2 denied, and the
// current bucket still sees the 2 leases held. Sums run over whole days so the test holds even
// when it straddles a bucket boundary.
#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

#include "protocol/time.h"
#include "tests/support/child_process.h"
#include "tests/support/vglsd_process.h"

using namespace vgls;
using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

struct totals {
  std::int64_t peak = 0;
  std::int64_t granted = 0;
  std::int64_t denied = 0;
  std::int64_t rows = 0;
};

totals sum_json(const nlohmann::json& buckets, const std::string& edition) {
  totals t;
  for (const auto& b : buckets) {
    if (b["edition"] != edition)
      continue;
    ++t.rows;
    t.peak = std::max<std::int64_t>(t.peak, b["peak_used"]);
    t.granted += b["granted"].get<std::int64_t>();
    t.denied += b["denied"].get<std::int64_t>();
  }
  return t;
}

}  // namespace

TEST_CASE("usage reports the peak, grants and denials of a scripted history") {
  vglsd_options options;
  options.config_toml = "[trial]\nenabled = false\n[leases]\nallow_upgrade = false\n";
  vglsd_process server(options);
  auto admin = server.admin_client();
  REQUIRE(call_json(*admin, "POST", "/v1/pools",
                    {{"id", "pc"}, {"edition", "vPC"}, {"seats", 5}, {"kind", "perpetual"}})
              .status == 201);
  REQUIRE(call_json(*admin, "POST", "/v1/pools",
                    {{"id", "ws"}, {"edition", "vWS"}, {"seats", 8}, {"kind", "perpetual"}})
              .status == 201);

  auto client = server.client();
  std::vector<std::string> lease_ids;
  for (int i = 0; i < 5; ++i) {
    const auto granted = call_json(*client, "POST", "/v1/leases",
                                   {{"client_id", "vm-" + std::to_string(i)}, {"edition", "vPC"}});
    REQUIRE(granted.status == 201);
    lease_ids.push_back(granted.body["lease"]["id"]);
  }
  for (int i = 5; i < 7; ++i) {
    REQUIRE(call_json(*client, "POST", "/v1/leases",
                      {{"client_id", "vm-" + std::to_string(i)}, {"edition", "vPC"}})
                .status == 409);
  }
  for (int i = 0; i < 3; ++i)
    REQUIRE(call(*client, "DELETE", "/v1/leases/" + lease_ids[i]).status == 204);

  SECTION("/v1/usage by day") {
    const auto now = call_json(*admin, "GET", "/v1/server").body["time"].get<std::string>();
    const auto from = protocol::format_rfc3339(*protocol::parse_rfc3339(now) - 2 * 86400);
    // `to` is exclusive: up to and including the server's current second, as vglsctl asks.
    const auto to = protocol::format_rfc3339(*protocol::parse_rfc3339(now) + 1);
    const auto answer = call_json(*admin, "GET", "/v1/usage?bucket=1d&from=" + from + "&to=" + to);
    REQUIRE(answer.status == 200);
    const auto& buckets = answer.body["buckets"];
    const auto pc = sum_json(buckets, "vPC");
    CHECK(pc.peak == 5);
    CHECK(pc.granted == 5);
    CHECK(pc.denied == 2);
    const auto ws = sum_json(buckets, "vWS");
    CHECK(ws.peak == 0);
    CHECK(ws.granted == 0);
    CHECK(ws.denied == 0);

    // The latest vPC bucket: its seats, and the leases still held.
    nlohmann::json latest;
    for (const auto& b : buckets) {
      if (b["edition"] == "vPC" && (latest.is_null() || b["start"] > latest["start"]))
        latest = b;
    }
    REQUIRE_FALSE(latest.is_null());
    CHECK(latest["seats"] == 5);
    CHECK(latest["peak_used"].get<int>() >= 2);

    // Ascending by start.
    for (std::size_t i = 1; i < buckets.size(); ++i)
      CHECK(buckets[i]["start"] >= buckets[i - 1]["start"]);
  }

  SECTION("finer buckets add up to the same history") {
    const auto answer = call_json(*admin, "GET", "/v1/usage?bucket=15m&edition=vPC");
    REQUIRE(answer.status == 200);
    const auto pc = sum_json(answer.body["buckets"], "vPC");
    CHECK(pc.peak == 5);
    CHECK(pc.granted == 5);
    CHECK(pc.denied == 2);
    CHECK(pc.rows == static_cast<std::int64_t>(answer.body["buckets"].size()));
  }

  SECTION("vglsctl usage --csv says the same") {
    const auto run =
        run_program({VGLS_CTL_BIN, "--server", server.url(), "--token", server.admin_token(),
                     "usage", "--since", "2d", "--bucket", "1d", "--edition", "vPC", "--csv"},
                    60s);
    INFO(run.output);
    REQUIRE(run.exit_status == 0);
    std::istringstream lines(run.output);
    std::string line;
    REQUIRE(std::getline(lines, line));
    CHECK(line == "start,edition,peak_used,seats,granted,denied");
    totals pc;
    while (std::getline(lines, line)) {
      std::vector<std::string> fields;
      std::stringstream row(line);
      for (std::string field; std::getline(row, field, ',');)
        fields.push_back(field);
      REQUIRE(fields.size() == 6);
      CHECK(fields[1] == "vPC");
      pc.peak = std::max<std::int64_t>(pc.peak, std::stoll(fields[2]));
      pc.granted += std::stoll(fields[4]);
      pc.denied += std::stoll(fields[5]);
    }
    CHECK(pc.peak == 5);
    CHECK(pc.granted == 5);
    CHECK(pc.denied == 2);
  }

  SECTION("bad usage queries are refused with the SPEC's code") {
    CHECK(call_json(*admin, "GET", "/v1/usage?bucket=2h").body["error"]["code"] ==
          "invalid_request");
    CHECK(call_json(*admin, "GET", "/v1/usage?edition=vXX").body["error"]["code"] ==
          "unknown_edition");
    CHECK(call(*server.client(), "GET", "/v1/usage").status == 401);
  }
}
