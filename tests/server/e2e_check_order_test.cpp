// SPEC §2's order of checks where two faults meet in one request: route → method → auth → rate
// limit → body (413, 415, 400) → the operation. A request's own faults come before what the
// operation would find (an unknown pool or lease).
#include <catch2/catch.hpp>

#include "tests/server/e2e_steps.h"

using namespace vgls::testing;
using nlohmann::json;

TEST_CASE("a bad body is 400 before an unknown pool or lease is 404", "[e2e][check_order]") {
  vglsd_process server(configured(no_trial()));
  auto admin = server.admin_client();
  auto c = server.client();

  for (const std::string id : {"nope", "NOT-AN-ID"}) {
    INFO(id);
    auto patch = call_json(*admin, "PATCH", "/v1/pools/" + id, json{{"seats", -1}});
    CHECK(patch.status == 400);
    CHECK(patch.body["error"]["field"] == "seats");
  }
  for (const std::string id : {"lse_AAAAAAAAAAAAAAAAAAAAAAAA", "not-a-lease-id"}) {
    INFO(id);
    auto renew =
        call_json(*c, "POST", "/v1/leases/" + id + "/renew", json{{"client_time", "yesterday"}});
    CHECK(renew.status == 400);
    CHECK(renew.body["error"]["field"] == "client_time");
  }
  // With a good body, the operation decides.
  CHECK(error_code_of(call_json(*admin, "PATCH", "/v1/pools/NOT-AN-ID", json{{"seats", 1}})) ==
        "pool_not_found");
  CHECK(error_code_of(call_json(*c, "POST", "/v1/leases/not-a-lease-id/renew")) ==
        "lease_not_found");
}

TEST_CASE("a malformed query is a 400 of the body stage: 413 and 415 come first",
          "[e2e][check_order]") {
  vglsd_process server(configured(no_trial("[server]\nmax_body_bytes = 1024\n")));
  auto admin = server.admin_client();

  auto wrong_type = std::get<vgls::client::http_response>(
      admin->request("PATCH", "/v1/pools/p?force=%zz", R"({"seats": 1})", "text/plain"));
  CHECK(wrong_type.status == 415);

  const std::string big = R"({"seats": 1, "pad": ")" + std::string(2000, 'x') + "\"}";
  auto too_large = call_json(*admin, "PATCH", "/v1/pools/p?x=%zz", json::parse(big));
  CHECK(too_large.status == 413);

  auto malformed = call_json(*admin, "GET", "/v1/leases?limit=%zz");
  CHECK(malformed.status == 400);
  CHECK(error_code_of(malformed) == "invalid_request");
  // Auth still comes before it.
  CHECK(call_json(*server.client(), "GET", "/v1/leases?limit=%zz").status == 401);
}
