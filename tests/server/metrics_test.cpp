#include "server/metrics/metrics.h"

#include <catch2/catch.hpp>

#include "server/metrics/node_metrics.h"

using namespace vgls;

TEST_CASE("metrics render the Prometheus text format", "[metrics]") {
  server::metrics m({{"/v1/leases", {"POST", "GET"}}, {"/v1/leases/{id}", {"GET", "DELETE"}}});
  m.count_checkout(protocol::edition::vpc, server::checkout_result::granted);
  m.count_checkout(protocol::edition::vpc, server::checkout_result::granted);
  m.count_checkout(protocol::edition::vws, server::checkout_result::no_seat_available);
  m.observe_request(m.request_series(1, 0), 404, 0.002);
  m.observe_request(m.unmatched_series(), 404, 0.0001);

  protocol::pool_view trial;
  trial.pool.id = "trial-vws";
  trial.pool.kind = protocol::pool_kind::trial;
  trial.pool.edition = protocol::edition::vws;
  trial.pool.seats = 16;
  trial.pool.expires_at = 1800000000;
  trial.used = 3;
  protocol::pool_view forever;
  forever.pool.id = "forever";
  forever.pool.edition = protocol::edition::vapp;
  forever.pool.seats = 2;
  forever.pool.kind = protocol::pool_kind::perpetual;
  protocol::pool_view ended;
  ended.pool.id = "old-vws";
  ended.pool.edition = protocol::edition::vws;
  ended.pool.seats = 100;
  ended.pool.expires_at = 1700000000;
  ended.used = 0;
  ended.state = protocol::pool_state::expired;
  protocol::pool_view later;
  later.pool.id = "next-vws";
  later.pool.edition = protocol::edition::vws;
  later.pool.seats = 50;
  later.pool.expires_at = 1900000000;
  later.state = protocol::pool_state::not_started;
  storage::store_facts facts;
  facts.leases_expired_total = 7;
  facts.clock_rollback = true;

  const auto text = m.render({trial, forever, ended, later}, facts);
  auto has = [&](std::string_view line) { return text.find(line) != std::string::npos; };
  CHECK(has("# TYPE vgls_pool_seats gauge\n"));
  CHECK(has("vgls_pool_seats{pool=\"trial-vws\",edition=\"vWS\",kind=\"trial\"} 16\n"));
  CHECK(has("vgls_pool_used{pool=\"trial-vws\",edition=\"vWS\",kind=\"trial\"} 3\n"));
  CHECK(
      has("vgls_pool_expires_timestamp_seconds{pool=\"trial-vws\",edition=\"vWS\",kind=\"trial\"} "
          "1800000000\n"));
  CHECK_FALSE(has("vgls_pool_expires_timestamp_seconds{pool=\"forever\""));
  CHECK(has("# TYPE vgls_pool_active gauge\n"));
  CHECK(has("vgls_pool_active{pool=\"trial-vws\",edition=\"vWS\",kind=\"trial\"} 1\n"));
  CHECK(has("vgls_pool_active{pool=\"forever\",edition=\"vApp\",kind=\"perpetual\"} 1\n"));
  CHECK(has("vgls_pool_active{pool=\"old-vws\",edition=\"vWS\",kind=\"subscription\"} 0\n"));
  CHECK(has("vgls_pool_active{pool=\"next-vws\",edition=\"vWS\",kind=\"subscription\"} 0\n"));
  // Only active pools count towards an edition.
  CHECK(has("# TYPE vgls_edition_seats gauge\n"));
  CHECK(has("vgls_edition_seats{edition=\"vWS\"} 16\n"));
  CHECK(has("vgls_edition_used{edition=\"vWS\"} 3\n"));
  CHECK(has("vgls_edition_seats{edition=\"vApp\"} 2\n"));
  CHECK(has("vgls_edition_seats{edition=\"vPC\"} 0\n"));
  CHECK(has("vgls_checkouts_total{edition=\"vPC\",result=\"granted\"} 2\n"));
  CHECK(has("vgls_checkouts_total{edition=\"vWS\",result=\"no_seat_available\"} 1\n"));
  CHECK(has("vgls_checkouts_total{edition=\"vApp\",result=\"license_expired\"} 0\n"));
  CHECK(has("vgls_leases_expired_total 7\n"));
  CHECK(has("vgls_clock_rollback 1\n"));
  CHECK(has("vgls_http_requests_total{route=\"/v1/leases/{id}\",method=\"GET\",code=\"404\"} 1\n"));
  CHECK(has("vgls_http_requests_total{route=\"unmatched\",method=\"other\",code=\"404\"} 1\n"));
  CHECK(has("# TYPE vgls_http_request_duration_seconds histogram\n"));
  CHECK(
      has("vgls_http_request_duration_seconds_bucket{route=\"/v1/leases/{id}\",method=\"GET\","
          "le=\"0.001\"} 0\n"));
  CHECK(
      has("vgls_http_request_duration_seconds_bucket{route=\"/v1/leases/{id}\",method=\"GET\","
          "le=\"0.0025\"} 1\n"));
  CHECK(
      has("vgls_http_request_duration_seconds_bucket{route=\"/v1/leases/{id}\",method=\"GET\","
          "le=\"+Inf\"} 1\n"));
  CHECK(has(
      "vgls_http_request_duration_seconds_count{route=\"/v1/leases/{id}\",method=\"GET\"} 1\n"));
  // A series without requests is not written.
  CHECK_FALSE(has("method=\"DELETE\""));
}

TEST_CASE("requests are counted by route and method, within the route table", "[metrics]") {
  server::metrics m({{"/v1/leases", {"POST", "GET"}}, {"/v1/pools", {"GET"}}});
  m.observe_request(m.request_series(0, 0), 201, 0.001);  // a checkout
  m.observe_request(m.request_series(0, 0), 201, 0.001);
  m.observe_request(m.request_series(0, 1), 200, 0.001);  // the admin listing
  m.observe_request(m.request_series(0, 2), 405, 0.001);  // PUT /v1/leases: no such method
  m.observe_request(m.request_series(0, 99), 405, 0.001);
  m.observe_request(m.request_series(1, 0), 401, 0.001);
  m.observe_request(m.request_series(1, 1), 405, 0.001);
  m.observe_request(m.request_series(7, 0), 404, 0.001);  // past the table: unmatched
  m.observe_request(m.unmatched_series(), 404, 0.001);
  m.observe_request(12345, 404, 0.001);  // not a series: counted as unmatched

  const auto text = m.render({}, {});
  auto has = [&](std::string_view line) { return text.find(line) != std::string::npos; };
  CHECK(has("vgls_http_requests_total{route=\"/v1/leases\",method=\"POST\",code=\"201\"} 2\n"));
  CHECK(has("vgls_http_requests_total{route=\"/v1/leases\",method=\"GET\",code=\"200\"} 1\n"));
  CHECK(has("vgls_http_requests_total{route=\"/v1/leases\",method=\"other\",code=\"405\"} 2\n"));
  CHECK(has("vgls_http_requests_total{route=\"/v1/pools\",method=\"GET\",code=\"401\"} 1\n"));
  CHECK(has("vgls_http_requests_total{route=\"/v1/pools\",method=\"other\",code=\"405\"} 1\n"));
  CHECK(has("vgls_http_requests_total{route=\"unmatched\",method=\"other\",code=\"404\"} 3\n"));
  CHECK(has("vgls_http_request_duration_seconds_count{route=\"/v1/leases\",method=\"POST\"} 2\n"));
  CHECK(has("vgls_http_request_duration_seconds_count{route=\"/v1/leases\",method=\"GET\"} 1\n"));
  std::size_t request_lines = 0;
  for (std::size_t at = text.find("\nvgls_http_requests_total{"); at != std::string::npos;
       at = text.find("\nvgls_http_requests_total{", at + 1))
    ++request_lines;
  CHECK(request_lines == 6);
}

TEST_CASE("label values are escaped", "[metrics]") {
  CHECK(server::escape_label_value("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
}

TEST_CASE("every node, a standby too, names its role and version", "[metrics]") {
  storage::node_status standby;
  standby.role = storage::node_role::standby;
  standby.takeovers = 2;
  const auto text = server::render_node_metrics(standby);
  CHECK(text.find("vgls_node_active 0\n") != std::string::npos);
  CHECK(text.find("vgls_takeovers_total 2\n") != std::string::npos);
  CHECK(text.find("# TYPE vgls_build_info gauge\nvgls_build_info{version=\"" VGLS_VERSION
                  "\"} 1\n") != std::string::npos);
}
