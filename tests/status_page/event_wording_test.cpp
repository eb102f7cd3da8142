// Events in words: each type the engine records, as a sentence; unknown types and details as
// key=value pairs; and the page escapes what the words carry.
#include "server/status_page/event_wording.h"

#include <catch2/catch.hpp>

#include "server/status_page/status_page_render.h"

using namespace vgls;
using namespace vgls::server;

namespace {

protocol::event lease_event(std::string type, nlohmann::json detail) {
  protocol::event e;
  e.id = 7;
  e.type = std::move(type);
  e.pool_id = "lab-vws";
  e.lease_id = "lse_1a2b3c4d5e6f7g8h9i0j1k2l";
  e.client_id = "vm-17";
  e.edition = protocol::edition::vws;
  e.detail = std::move(detail);
  return e;
}

protocol::event pool_event(std::string type, nlohmann::json detail) {
  protocol::event e;
  e.type = std::move(type);
  e.pool_id = "lab-vws";
  e.edition = protocol::edition::vws;
  e.detail = std::move(detail);
  return e;
}

}  // namespace

TEST_CASE("lease events say which lease of which client, and from which pool") {
  CHECK(describe_event(lease_event("lease.granted", {{"expires_at", "2026-12-04T10:00:00Z"},
                                                     {"requested_edition", "vWS"},
                                                     {"upgraded", false}})) ==
        "lease lse_1a2b3c… of client vm-17 checked out from pool lab-vws (vWS)");
  CHECK(describe_event(
            lease_event("lease.granted", {{"requested_edition", "vPC"}, {"upgraded", true}})) ==
        "lease lse_1a2b3c… of client vm-17 checked out from pool lab-vws (vWS), upgraded from a "
        "vPC request");
  CHECK(describe_event(lease_event("lease.renewed", {{"expires_at", "2026-12-04T10:00:00Z"}})) ==
        "lease lse_1a2b3c… of client vm-17 renewed, until 2026-12-04 10:00:00Z");
  CHECK(describe_event(lease_event("lease.released", {{"by", "client"}})) ==
        "lease lse_1a2b3c… of client vm-17 released from pool lab-vws (vWS) by the client");
  CHECK(describe_event(lease_event("lease.released",
                                   {{"reason", "replaced"}, {"requested_edition", "vCS"}})) ==
        "lease lse_1a2b3c… of client vm-17 released from pool lab-vws (vWS): replaced by a lease "
        "for vCS");
  CHECK(describe_event(lease_event("lease.expired", {{"reason", "pool_expired"}})) ==
        "lease lse_1a2b3c… of client vm-17 expired in pool lab-vws (vWS): its pool ended");
  CHECK(describe_event(lease_event("lease.revoked", {{"by", "admin"}, {"actor", "alice"}})) ==
        "lease lse_1a2b3c… of client vm-17 revoked in pool lab-vws (vWS) by alice");
  CHECK(
      describe_event(lease_event("lease.revoked", {{"by", "pool_deleted"}, {"actor", "admin"}})) ==
      "lease lse_1a2b3c… of client vm-17 revoked in pool lab-vws (vWS): the pool was deleted "
      "by admin");
}

TEST_CASE("a refused checkout says why, for which edition and client") {
  protocol::event e;
  e.type = "lease.denied";
  e.client_id = "vm-18";
  e.edition = protocol::edition::vws;
  e.detail = {{"requested_edition", "vWS"}, {"reason", "no_seat_available"}};
  CHECK(describe_event(e) == "checkout refused: no seat available (vWS) for client vm-18");
  e.detail["reason"] = "license_expired";
  CHECK(describe_event(e) ==
        "checkout refused: every pool that could serve has ended or not started (vWS) for client "
        "vm-18");
}

TEST_CASE("pool events say who changed what, from and to") {
  CHECK(describe_event(pool_event("pool.updated",
                                  {{"seats", {{"from", 10}, {"to", 20}}}, {"actor", "admin"}})) ==
        "pool lab-vws changed by admin: seats 10 → 20");
  CHECK(describe_event(pool_event(
            "pool.updated", {{"expires_at", {{"from", nullptr}, {"to", "2027-06-30T00:00:00Z"}}},
                             {"seats", {{"from", 4}, {"to", 2}}},
                             {"actor", "config"}})) ==
        "pool lab-vws changed from the config: seats 4 → 2, expires never → 2027-06-30 00:00:00Z");
  CHECK(describe_event(pool_event("pool.created", {{"seats", 10},
                                                   {"kind", "subscription"},
                                                   {"expires_at", "2027-06-30T00:00:00Z"},
                                                   {"source", "api"},
                                                   {"actor", "admin"}})) ==
        "pool lab-vws created by admin: 10 vWS seats, subscription, until 2027-06-30 00:00:00Z");
  CHECK(describe_event(pool_event("pool.created", {{"seats", 16},
                                                   {"kind", "trial"},
                                                   {"expires_at", "2027-03-01T00:00:00Z"},
                                                   {"source", "trial"},
                                                   {"actor", "trial"}})) ==
        "trial pool lab-vws created: 16 vWS seats, trial, until 2027-03-01 00:00:00Z");
  CHECK(describe_event(pool_event(
            "pool.created",
            {{"seats", 3}, {"kind", "perpetual"}, {"expires_at", nullptr}, {"actor", "admin"}})) ==
        "pool lab-vws created by admin: 3 vWS seats, perpetual, never expires");
  CHECK(describe_event(
            pool_event("pool.deleted", {{"force", true}, {"revoked", 3}, {"actor", "admin"}})) ==
        "pool lab-vws deleted by admin, 3 leases revoked");
}

TEST_CASE("server, clock and token events in words") {
  protocol::event e;
  e.type = "server.started";
  e.detail = {{"leases", 12}, {"pools", 3}, {"storage", "sqlite /var/lib/vgls/vgls.db"}};
  CHECK(describe_event(e) == "server started on sqlite /var/lib/vgls/vgls.db: 3 pools, 12 leases");
  e.type = "clock.rollback";
  e.detail = {{"wall_clock", "2026-12-03T07:00:00Z"},
              {"high_water", "2026-12-03T08:00:00Z"},
              {"behind_seconds", 3600}};
  CHECK(describe_event(e) ==
        "the system clock went back 3600 s (clock 2026-12-03 07:00:00Z, highest time seen "
        "2026-12-03 08:00:00Z); expiry keeps the highest time");
  e.type = "token.created";
  e.detail = {{"name", "grafana"}, {"role", "viewer"}, {"actor", "admin"}};
  CHECK(describe_event(e) == "token grafana (viewer) created by admin");
}

TEST_CASE("an unknown event type falls back to compact key=value pairs") {
  protocol::event e;
  e.type = "lease.migrated";
  e.pool_id = "p1";
  e.client_id = "c1";
  e.detail = {{"to", "node-b"}, {"attempt", 2}, {"extra", {{"a", 1}}}};
  CHECK(describe_event(e) ==
        "lease.migrated pool=p1 client=c1 attempt=2 extra={\"a\":1} to=node-b");
  CHECK(detail_pairs(nlohmann::json::object()).empty());
}

TEST_CASE("the page shows events in words, escaped") {
  status_page_model model;
  model.now = 1'795'000'000;
  model.leases = protocol::lease_page{};
  auto e = lease_event("pool.updated", {{"seats", {{"from", 1}, {"to", 2}}},
                                        {"actor", "<script>alert(1)</script>"}});
  e.pool_id = "lab-vws";
  model.recent_events = {e};
  const std::string html = render_status_page(model);
  CHECK(
      html.find("<td class=\"what\">pool lab-vws changed by &lt;script&gt;alert(1)&lt;/script&gt;: "
                "seats 1 → 2</td>") != std::string::npos);
  CHECK(html.find("{&quot;") == std::string::npos);  // no raw JSON
}
