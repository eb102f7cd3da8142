// Every route of SPEC §2 and every error code, over real HTTP against the real vglsd.
#include <catch2/catch.hpp>

#include "protocol/time.h"
#include "tests/server/e2e_steps.h"

using namespace vgls::testing;
using nlohmann::json;

TEST_CASE("embedded defaults: a checkout answers a lease from the trial pool", "[e2e][routes]") {
  vglsd_process server;
  auto c = server.client();
  auto r = checkout(*c, "vm1", "vWS");
  REQUIRE(r.status == 201);
  const auto& lease = r.body["lease"];
  CHECK(lease["pool_id"] == "trial-vws");
  CHECK(lease["edition"] == "vWS");
  CHECK(lease["requested_edition"] == "vWS");
  CHECK(lease["client_id"] == "vm1");
  CHECK(lease["ttl_seconds"] == 86400);
  CHECK(lease["renew_after_seconds"] == 12960);
  CHECK(lease["id"].get<std::string>().size() >= 22);
  CHECK(r.raw.header("Content-Type") == "application/json");
}

TEST_CASE("the lease lifecycle: checkout, again, renew, read, release", "[e2e][routes]") {
  vglsd_process server;
  auto c = server.client();
  auto first = call_json(*c, "POST", "/v1/leases",
                         json{{"client_id", "vm-1"},
                              {"vgpu_profile", "GRID P40-2B"},
                              {"hostname", "vdi-017"},
                              {"labels", {{"pool", "finance"}}}});
  REQUIRE(first.status == 201);
  CHECK(first.body["lease"]["requested_edition"] == "vPC");
  CHECK(first.body["lease"]["edition"] == "vPC");
  const std::string id = first.body["lease"]["id"];

  // Rule 4: same client, satisfied edition → the same lease, 200, new self-description.
  auto again = call_json(*c, "POST", "/v1/leases",
                         json{{"client_id", "vm-1"}, {"edition", "vPC"}, {"hostname", "vdi-018"}});
  REQUIRE(again.status == 200);
  CHECK(again.body["lease"]["id"] == id);
  CHECK(again.body["lease"]["hostname"] == "vdi-018");

  auto renewed = call_json(*c, "POST", "/v1/leases/" + id + "/renew");
  REQUIRE(renewed.status == 200);
  CHECK(renewed.body["lease"]["id"] == id);
  auto renewed_with_time = call_json(*c, "POST", "/v1/leases/" + id + "/renew",
                                     json{{"client_time", "2026-11-24T10:00:00Z"}});
  CHECK(renewed_with_time.status == 200);

  auto read = call_json(*c, "GET", "/v1/leases/" + id);
  REQUIRE(read.status == 200);
  CHECK(read.body["lease"]["id"] == id);

  auto released = call(*c, "DELETE", "/v1/leases/" + id);
  CHECK(released.status == 204);
  CHECK(released.body.empty());
  auto gone = call_json(*c, "DELETE", "/v1/leases/" + id);
  CHECK(gone.status == 404);
  CHECK(error_code_of(gone) == "lease_not_found");
  CHECK(error_code_of(call_json(*c, "GET", "/v1/leases/" + id)) == "lease_not_found");
  CHECK(error_code_of(call_json(*c, "POST", "/v1/leases/" + id + "/renew")) == "lease_not_found");
}

TEST_CASE("pool routes: create, read, change, list, delete", "[e2e][routes]") {
  vglsd_process server(configured(no_trial()));
  auto admin = server.admin_client();
  auto c = server.client();

  auto created = create_pool(*admin, {{"id", "vws-main"},
                                      {"edition", "vWS"},
                                      {"seats", 2},
                                      {"kind", "subscription"},
                                      {"days", 30}});
  REQUIRE(created.status == 201);
  CHECK(created.body["pool"]["id"] == "vws-main");
  CHECK(created.body["pool"]["seats"] == 2);
  CHECK(created.body["pool"]["used"] == 0);
  CHECK(created.body["pool"]["state"] == "active");
  CHECK(created.body["pool"]["days_left"].get<int>() >= 29);  // 30 in the same second

  auto twice = create_pool(
      *admin, {{"id", "vws-main"}, {"edition", "vWS"}, {"seats", 2}, {"kind", "perpetual"}});
  CHECK(twice.status == 409);
  CHECK(error_code_of(twice) == "pool_exists");

  REQUIRE(create_pool(*admin,
                      {{"id", "apps"}, {"edition", "vApp"}, {"seats", 1}, {"kind", "perpetual"}})
              .status == 201);
  auto list = call_json(*admin, "GET", "/v1/pools");
  REQUIRE(list.status == 200);
  REQUIRE(list.body["pools"].size() == 2);
  CHECK(list.body["pools"][0]["id"] == "apps");  // ordered by id
  CHECK(list.body["pools"][0]["days_left"].is_null());
  CHECK(list.body["pools"][0]["expires_at"].is_null());

  auto read = call_json(*admin, "GET", "/v1/pools/vws-main");
  REQUIRE(read.status == 200);
  CHECK(read.body["pool"]["kind"] == "subscription");
  auto missing = call_json(*admin, "GET", "/v1/pools/nope");
  CHECK(missing.status == 404);
  CHECK(error_code_of(missing) == "pool_not_found");
  CHECK(error_code_of(call_json(*admin, "GET", "/v1/pools/NOT%20AN%20ID")) == "pool_not_found");

  auto patched = call_json(*admin, "PATCH", "/v1/pools/vws-main", json{{"seats", 5}});
  REQUIRE(patched.status == 200);
  CHECK(patched.body["pool"]["seats"] == 5);
  CHECK(error_code_of(call_json(*admin, "PATCH", "/v1/pools/nope", json{{"seats", 5}})) ==
        "pool_not_found");
  auto bad_patch = call_json(*admin, "PATCH", "/v1/pools/vws-main", json{{"seats", -1}});
  CHECK(bad_patch.status == 400);
  CHECK(bad_patch.body["error"]["field"] == "seats");
  // A perpetual pool never expires: it cannot be given an end afterwards either.
  auto perpetual_end =
      call_json(*admin, "PATCH", "/v1/pools/apps", json{{"expires_at", "2030-01-01T00:00:00Z"}});
  CHECK(perpetual_end.status == 400);
  CHECK(perpetual_end.body["error"]["field"] == "expires_at");
  CHECK(call_json(*admin, "GET", "/v1/pools/apps").body["pool"]["expires_at"].is_null());

  REQUIRE(checkout(*c, "vm-1", "vWS").status == 201);
  auto in_use = call_json(*admin, "DELETE", "/v1/pools/vws-main");
  CHECK(in_use.status == 409);
  CHECK(error_code_of(in_use) == "pool_in_use");
  CHECK(error_code_of(call_json(*admin, "DELETE", "/v1/pools/vws-main?force=maybe")) ==
        "invalid_request");
  CHECK(call(*admin, "DELETE", "/v1/pools/vws-main?force=true").status == 204);
  CHECK(error_code_of(call_json(*admin, "DELETE", "/v1/pools/vws-main")) == "pool_not_found");
  CHECK(call(*admin, "DELETE", "/v1/pools/apps").status == 204);
}

TEST_CASE("checkout outcomes: no pool, expired or not started, full", "[e2e][routes]") {
  vglsd_process server(configured(no_trial()));
  auto admin = server.admin_client();
  auto c = server.client();

  auto none = checkout(*c, "vm-1", "vApp");
  CHECK(none.status == 404);
  CHECK(error_code_of(none) == "no_pool_for_edition");

  const auto next_year = vgls::protocol::format_rfc3339(vgls::protocol::system_now() + 365 * 86400);
  REQUIRE(create_pool(*admin, {{"id", "later"},
                               {"edition", "vApp"},
                               {"seats", 5},
                               {"kind", "subscription"},
                               {"starts_at", next_year},
                               {"days", 400}})
              .status == 201);
  auto expired = checkout(*c, "vm-1", "vApp");
  CHECK(expired.status == 403);
  CHECK(error_code_of(expired) == "license_expired");

  REQUIRE(
      create_pool(*admin, {{"id", "one"}, {"edition", "vCS"}, {"seats", 1}, {"kind", "perpetual"}})
          .status == 201);
  REQUIRE(checkout(*c, "vm-1", "vCS").status == 201);
  auto full = checkout(*c, "vm-2", "vCS");
  CHECK(full.status == 409);
  CHECK(error_code_of(full) == "no_seat_available");

  auto unknown = checkout(*c, "vm-3", "vXX");
  CHECK(unknown.status == 400);
  CHECK(error_code_of(unknown) == "unknown_edition");
  CHECK(unknown.body["error"]["field"] == "edition");
}

TEST_CASE("admin listings: leases, events, usage, server facts", "[e2e][routes]") {
  vglsd_process server;
  auto admin = server.admin_client();
  auto c = server.client();
  for (int i = 0; i < 3; ++i) {
    REQUIRE(checkout(*c, "vm-" + std::to_string(i), i == 0 ? "vApp" : "vWS").status == 201);
  }

  auto leases = call_json(*admin, "GET", "/v1/leases?limit=1&edition=vWS");
  REQUIRE(leases.status == 200);
  CHECK(leases.body["total"] == 2);
  CHECK(leases.body["leases"].size() == 1);
  REQUIRE(leases.body["next"].is_string());
  auto next_page =
      call_json(*admin, "GET",
                "/v1/leases?limit=1&edition=vWS&after=" + leases.body["next"].get<std::string>());
  REQUIRE(next_page.status == 200);
  CHECK(next_page.body["leases"].size() == 1);
  CHECK(next_page.body["leases"][0]["id"] != leases.body["leases"][0]["id"]);
  CHECK(call_json(*admin, "GET", "/v1/leases?pool=trial-vapp").body["total"] == 1);
  CHECK(error_code_of(call_json(*admin, "GET", "/v1/leases?limit=0")) == "invalid_request");
  CHECK(error_code_of(call_json(*admin, "GET", "/v1/leases?limit=1001")) == "invalid_request");

  auto events = call_json(*admin, "GET", "/v1/events?type=lease.granted");
  REQUIRE(events.status == 200);
  CHECK(events.body["events"].size() == 3);
  CHECK(events.body["next"].is_null());
  auto paged = call_json(*admin, "GET", "/v1/events?limit=1");
  REQUIRE(paged.status == 200);
  REQUIRE(paged.body["next"].is_number());
  auto after = call_json(
      *admin, "GET", "/v1/events?limit=1&after=" + std::to_string(paged.body["next"].get<long>()));
  REQUIRE(after.body["events"].size() == 1);
  CHECK(after.body["events"][0]["id"].get<long>() > paged.body["events"][0]["id"].get<long>());
  CHECK(error_code_of(call_json(*admin, "GET", "/v1/events?limit=5000")) == "invalid_request");
  CHECK(error_code_of(call_json(*admin, "GET", "/v1/events?after=%zz")) == "invalid_request");
  CHECK(error_code_of(call_json(*admin, "GET", "/v1/events?after=soon")) == "invalid_request");
  // Unknown query parameters are ignored.
  CHECK(call_json(*admin, "GET", "/v1/events?colour=blue").status == 200);

  auto usage = call_json(*admin, "GET", "/v1/usage?bucket=1d");
  REQUIRE(usage.status == 200);
  CHECK(usage.body["buckets"].is_array());
  CHECK(error_code_of(call_json(*admin, "GET", "/v1/usage?bucket=7m")) == "invalid_request");

  auto facts = call_json(*admin, "GET", "/v1/server");
  REQUIRE(facts.status == 200);
  CHECK(facts.body["version"].is_string());
  CHECK(facts.body["storage_backend"] == backend_name(server.backend()));
  CHECK(facts.body["leases_active"] == 3);
  CHECK(facts.body["pools"] == 4);
  CHECK(facts.body["clock_rollback"] == false);
  CHECK(facts.body["uptime_seconds"].get<long>() >= 0);
}

TEST_CASE("the admin token revokes, and the revoke is recorded", "[e2e][routes]") {
  vglsd_process server;
  auto admin = server.admin_client();
  auto c = server.client();
  auto lease = checkout(*c, "vm-1", "vWS");
  REQUIRE(lease.status == 201);
  const std::string id = lease.body["lease"]["id"];
  CHECK(call(*admin, "DELETE", "/v1/leases/" + id).status == 204);
  auto events = call_json(*admin, "GET", "/v1/events?type=lease.revoked");
  REQUIRE(events.body["events"].size() == 1);
  CHECK(events.body["events"][0]["lease_id"] == id);
  CHECK(error_code_of(call_json(*c, "GET", "/v1/leases/" + id)) == "lease_not_found");
}

TEST_CASE("auth: admin routes, client token, status page, metrics", "[e2e][routes]") {
  vglsd_process plain;
  auto anonymous = plain.client();
  for (auto target : {"/v1/pools", "/v1/leases", "/v1/events", "/v1/usage", "/v1/server"}) {
    auto r = call_json(*anonymous, "GET", target);
    CHECK(r.status == 401);
    CHECK(error_code_of(r) == "unauthorized");
    CHECK(r.raw.header("WWW-Authenticate") == "Bearer realm=\"vgls\"");
  }
  vgls::client::client_options wrong;
  wrong.bearer_token = "not-the-token";
  vgls::client::http_client wrong_client(*vgls::client::parse_server_url(plain.url()), wrong);
  CHECK(call_json(wrong_client, "GET", "/v1/pools").status == 401);
  // Without a client token, client routes ignore a wrong Authorization header.
  CHECK(checkout(wrong_client, "vm-1", "vWS").status == 201);

  auto page = call(*anonymous, "GET", "/");
  CHECK(page.status == 401);
  CHECK(page.header("WWW-Authenticate") == "Basic realm=\"vgls\"");
  vgls::client::client_options basic;
  basic.basic_password = plain.admin_token();
  vgls::client::http_client page_client(*vgls::client::parse_server_url(plain.url()), basic);
  auto html = call(page_client, "GET", "/");
  CHECK(html.status == 200);
  CHECK(html.header("Content-Type").find("text/html") == 0);
  CHECK(call(*plain.admin_client(), "GET", "/").status == 200);

  auto metrics = call(*anonymous, "GET", "/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.body.find("vgls_checkouts_total{edition=\"vWS\",result=\"granted\"} 1") !=
        std::string::npos);
  CHECK(metrics.body.find(
            "vgls_http_requests_total{route=\"/v1/pools\",method=\"GET\",code=\"401\"}") !=
        std::string::npos);
  auto health = call_json(*anonymous, "GET", "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == json{{"status", "ok"}, {"role", plain.healthy_role()}});

  temp_dir dir;
  write_file(dir / "client.token", "client-secret\n");
  vglsd_process guarded(configured("[server]\nclient_token_file = \"" +
                                   (dir / "client.token").string() +
                                   "\"\nstatus_page_public = true\nmetrics_public = false\n"));
  auto no_token = guarded.client();
  auto refused = checkout(*no_token, "vm-1", "vWS");
  CHECK(refused.status == 401);
  CHECK(refused.raw.header("WWW-Authenticate") == "Bearer realm=\"vgls\"");
  vgls::client::client_options with_token;
  with_token.bearer_token = "client-secret";
  vgls::client::http_client client_with_token(*vgls::client::parse_server_url(guarded.url()),
                                              with_token);
  CHECK(checkout(client_with_token, "vm-1", "vWS").status == 201);
  CHECK(checkout(*guarded.admin_client(), "vm-2", "vWS").status == 201);
  CHECK(call_json(client_with_token, "GET", "/v1/pools").status == 401);
  CHECK(call(*no_token, "GET", "/").status == 200);
  CHECK(call(*no_token, "GET", "/metrics").status == 401);
  CHECK(call(*guarded.admin_client(), "GET", "/metrics").status == 200);
  CHECK(call(*no_token, "GET", "/healthz").status == 200);
}

TEST_CASE("unknown routes are 404, wrong methods 405 with Allow", "[e2e][routes]") {
  vglsd_process server;
  auto c = server.client();
  auto r = call_json(*c, "GET", "/v2/nothing");
  CHECK(r.status == 404);
  CHECK(error_code_of(r) == "not_found");
  CHECK(error_code_of(call_json(*c, "GET", "/v1/leases/a/b/c")) == "not_found");

  auto wrong = call_json(*c, "PUT", "/v1/leases");
  CHECK(wrong.status == 405);
  CHECK(error_code_of(wrong) == "method_not_allowed");
  CHECK(wrong.raw.header("Allow") == "POST, GET");
  CHECK(call_json(*c, "POST", "/healthz").raw.header("Allow") == "GET");
  CHECK(call_json(*c, "GET", "/v1/leases/lse_x/renew").raw.header("Allow") == "POST");
  // Route before method before auth: an admin route with a wrong method and no token is 405.
  CHECK(call_json(*c, "PUT", "/v1/pools/x").status == 405);
}
