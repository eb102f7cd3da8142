// /metrics of a real vglsd after scripted checkouts: well-formed Prometheus text with HELP and TYPE
// for every family, pool gauges that agree with /v1/pools, and checkout counters by result.
#include <catch2/catch.hpp>
#include <set>

#include "protocol/time.h"
#include "tests/admin/prometheus_text.h"
#include "tests/support/vglsd_process.h"

using namespace vgls;
using namespace vgls::testing;

namespace {

vglsd_options config(bool metrics_public) {
  vglsd_options options;
  options.config_toml = std::string("[server]\nmetrics_public = ") +
                        (metrics_public ? "true" : "false") +
                        "\n[trial]\nenabled = false\n[leases]\nallow_upgrade = false\n";
  return options;
}

int checkout(client::http_client& client, const std::string& id, const char* edition) {
  return call_json(client, "POST", "/v1/leases", {{"client_id", id}, {"edition", edition}}).status;
}

}  // namespace

TEST_CASE("metrics agree with /v1/pools and count checkouts by result") {
  vglsd_process server(config(/*metrics_public=*/true));
  auto admin = server.admin_client();
  const nlohmann::json pools[] = {
      {{"id", "ws"}, {"edition", "vWS"}, {"seats", 3}, {"kind", "subscription"}, {"days", 30}},
      {{"id", "pc"}, {"edition", "vPC"}, {"seats", 2}, {"kind", "trial"}, {"days", 400}},
      {{"id", "app"}, {"edition", "vApp"}, {"seats", 1}, {"kind", "perpetual"}},
  };
  for (const auto& pool : pools)
    REQUIRE(call_json(*admin, "POST", "/v1/pools", pool).status == 201);

  auto client = server.client();
  for (int i = 0; i < 3; ++i)
    REQUIRE(checkout(*client, "ws-" + std::to_string(i), "vWS") == 201);
  REQUIRE(checkout(*client, "ws-3", "vWS") == 409);  // full
  REQUIRE(checkout(*client, "ws-0", "vWS") == 200);  // already holds one
  REQUIRE(checkout(*client, "cs-0", "vCS") == 404);  // no vCS pool
  REQUIRE(checkout(*client, "pc-0", "vPC") == 201);
  // The admin listing shares the checkout's route; a method and a path that do not exist.
  REQUIRE(call_json(*admin, "GET", "/v1/leases").status == 200);
  REQUIRE(call(*client, "PUT", "/v1/leases").status == 405);
  REQUIRE(call(*client, "GET", "/v1/no-such-route").status == 404);

  const auto scrape = call(*server.client(), "GET", "/metrics");
  REQUIRE(scrape.status == 200);
  CHECK(scrape.header("Content-Type").find("text/plain") != std::string::npos);
  const auto metrics = parse_prometheus_text(scrape.body);
  INFO(scrape.body);
  CHECK(metrics.problems.empty());

  SECTION("every SPEC family is there with HELP and TYPE") {
    const std::map<std::string, std::string> expected = {
        {"vgls_pool_seats", "gauge"},
        {"vgls_pool_used", "gauge"},
        {"vgls_pool_expires_timestamp_seconds", "gauge"},
        {"vgls_checkouts_total", "counter"},
        {"vgls_leases_expired_total", "counter"},
        {"vgls_http_requests_total", "counter"},
        {"vgls_http_request_duration_seconds", "histogram"},
        {"vgls_clock_rollback", "gauge"},
        {"vgls_pool_active", "gauge"},
        {"vgls_edition_seats", "gauge"},
        {"vgls_edition_used", "gauge"},
        {"vgls_build_info", "gauge"},
    };
    for (const auto& [name, type] : expected) {
      CAPTURE(name);
      REQUIRE(metrics.families.count(name) == 1);
      CHECK(metrics.families.at(name).type == type);
      CHECK_FALSE(metrics.families.at(name).help.empty());
    }
    CHECK(metrics.value("vgls_clock_rollback") == 0.0);
    CHECK(metrics.value("vgls_leases_expired_total") == 0.0);
  }

  SECTION("pool gauges match /v1/pools") {
    const auto listed = call_json(*admin, "GET", "/v1/pools");
    REQUIRE(listed.body["pools"].size() == 3);
    for (const auto& pool : listed.body["pools"]) {
      const std::map<std::string, std::string> labels = {
          {"pool", pool["id"]}, {"edition", pool["edition"]}, {"kind", pool["kind"]}};
      CAPTURE(pool.dump());
      CHECK(metrics.value("vgls_pool_seats", labels) == pool["seats"].get<double>());
      CHECK(metrics.value("vgls_pool_used", labels) == pool["used"].get<double>());
      CHECK(metrics.value("vgls_pool_active", labels) == (pool["state"] == "active" ? 1.0 : 0.0));
      const auto expires = metrics.value("vgls_pool_expires_timestamp_seconds", labels);
      if (pool["expires_at"].is_null()) {
        CHECK_FALSE(expires);
      } else {
        REQUIRE(expires);
        CHECK(*expires ==
              static_cast<double>(*protocol::parse_rfc3339(pool["expires_at"].get<std::string>())));
      }
    }
    CHECK(metrics.families.at("vgls_pool_seats").samples.size() == 3);
  }

  SECTION("checkouts are counted by requested edition and result") {
    auto checkouts = [&](const char* edition, const char* result) {
      return metrics.value("vgls_checkouts_total", {{"edition", edition}, {"result", result}});
    };
    CHECK(checkouts("vWS", "granted") == 3.0);
    CHECK(checkouts("vWS", "no_seat_available") == 1.0);
    CHECK(checkouts("vWS", "existing") == 1.0);
    CHECK(checkouts("vCS", "no_pool_for_edition") == 1.0);
    CHECK(checkouts("vPC", "granted") == 1.0);
    CHECK(checkouts("vApp", "granted").value_or(0) == 0.0);
    CHECK(checkouts("vPC", "license_expired").value_or(0) == 0.0);
  }

  SECTION("HTTP requests are counted by route, method and code, durations as a histogram") {
    auto requests = [&](const char* route, const char* method, const char* code) {
      return metrics.value("vgls_http_requests_total",
                           {{"route", route}, {"method", method}, {"code", code}});
    };
    // Checkouts (POST) and the admin listing (GET) share the route, not the series.
    CHECK(requests("/v1/leases", "POST", "201") == 4.0);
    CHECK(requests("/v1/leases", "POST", "200") == 1.0);
    CHECK(requests("/v1/leases", "POST", "409") == 1.0);
    CHECK(requests("/v1/leases", "POST", "404") == 1.0);
    CHECK(requests("/v1/leases", "GET", "200") == 1.0);
    CHECK(requests("/v1/pools", "POST", "201") == 3.0);
    // A method the route does not serve, and a path that is no route, add no series of their own.
    CHECK(requests("/v1/leases", "other", "405") == 1.0);
    CHECK(requests("unmatched", "other", "404") == 1.0);
    for (const auto& sample : metrics.families.at("vgls_http_requests_total").samples) {
      CAPTURE(sample.labels);
      CHECK(sample.labels.size() == 3);
      CHECK(sample.labels.at("method") != "PUT");
      CHECK(sample.labels.at("route") != "/v1/no-such-route");
    }

    // Per route and method: buckets never decrease, +Inf equals _count.
    using series = std::pair<std::string, std::string>;
    std::map<series, std::vector<double>> buckets;
    for (const auto& sample : metrics.families.at("vgls_http_request_duration_seconds").samples) {
      if (sample.name == "vgls_http_request_duration_seconds_bucket")
        buckets[{sample.labels.at("route"), sample.labels.at("method")}].push_back(sample.value);
    }
    REQUIRE(buckets.count({"/v1/leases", "POST"}) == 1);
    REQUIRE(buckets.count({"/v1/leases", "GET"}) == 1);
    for (const auto& [labels, counts] : buckets) {
      const auto& [route, method] = labels;
      CAPTURE(route, method);
      for (std::size_t i = 1; i < counts.size(); ++i)
        CHECK(counts[i] >= counts[i - 1]);
      CHECK(metrics.value("vgls_http_request_duration_seconds_count",
                          {{"route", route}, {"method", method}}) == counts.back());
    }
    CHECK(metrics.value("vgls_http_request_duration_seconds_count",
                        {{"route", "/v1/leases"}, {"method", "POST"}}) == 7.0);
  }
}

TEST_CASE("metrics need the admin token when metrics_public is false") {
  vglsd_process server(config(/*metrics_public=*/false));
  const auto refused = call(*server.client(), "GET", "/metrics");
  CHECK(refused.status == 401);
  const auto allowed = call(*server.admin_client(), "GET", "/metrics");
  CHECK(allowed.status == 200);
  CHECK(parse_prometheus_text(allowed.body).problems.empty());
}
