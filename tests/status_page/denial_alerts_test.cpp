// The banner's refused checkouts: counted per requested edition over the last hour's buckets,
// with what stands in the way now.
#include "server/status_page/denial_alerts.h"

#include <catch2/catch.hpp>

#include "server/status_page/status_page_render.h"

using namespace vgls;
using namespace vgls::server;

namespace {

constexpr protocol::unix_seconds now = 1'795'000'000;

protocol::pool_view pool(std::string id, protocol::edition edition, std::int64_t seats,
                         std::int64_t used,
                         protocol::pool_state state = protocol::pool_state::active) {
  protocol::pool_view view;
  view.pool.id = std::move(id);
  view.pool.edition = edition;
  view.pool.seats = seats;
  view.pool.kind = protocol::pool_kind::perpetual;
  view.used = used;
  view.state = state;
  return view;
}

protocol::usage_bucket denied(protocol::edition edition, protocol::unix_seconds start,
                              std::int64_t count) {
  protocol::usage_bucket b;
  b.edition = edition;
  b.start = start;
  b.denied = count;
  return b;
}

}  // namespace

TEST_CASE("denials are summed per requested edition over the buckets") {
  const std::vector<protocol::usage_bucket> buckets = {
      denied(protocol::edition::vws, now - 600, 12), denied(protocol::edition::vws, now - 60, 8),
      denied(protocol::edition::vpc, now - 60, 0), denied(protocol::edition::vapp, now - 120, 1)};
  const std::vector<protocol::pool_view> pools = {pool("ws", protocol::edition::vws, 10, 10),
                                                  pool("app", protocol::edition::vapp, 2, 0)};
  const auto alerts = denial_alerts(buckets, pools, true);
  REQUIRE(alerts.size() == 2);
  CHECK(alerts[0].edition == protocol::edition::vapp);
  CHECK(alerts[0].refused == 1);
  CHECK(alerts[0].cause == refusal_cause::seats_free);
  CHECK(alerts[1].edition == protocol::edition::vws);
  CHECK(alerts[1].refused == 20);
  CHECK(alerts[1].cause == refusal_cause::no_seat);
  CHECK(describe(alerts[1]) == "vWS: 20 checkouts refused in the last hour — no seat free");
  CHECK(describe(alerts[0]) ==
        "vApp: 1 checkout refused in the last hour — seats are free again now");
}

TEST_CASE("the cause follows the pool-choice rule, upgrades included") {
  const std::vector<protocol::pool_view> full_vpc_free_vws = {
      pool("pc", protocol::edition::vpc, 4, 4), pool("ws", protocol::edition::vws, 10, 3)};
  CHECK(refusal_cause_now(protocol::edition::vpc, full_vpc_free_vws, true) ==
        refusal_cause::seats_free);
  CHECK(refusal_cause_now(protocol::edition::vpc, full_vpc_free_vws, false) ==
        refusal_cause::no_seat);
  CHECK(refusal_cause_now(protocol::edition::vcs, full_vpc_free_vws, false) ==
        refusal_cause::no_pool);
  const std::vector<protocol::pool_view> ended = {
      pool("old", protocol::edition::vws, 10, 0, protocol::pool_state::expired),
      pool("later", protocol::edition::vws, 10, 0, protocol::pool_state::not_started)};
  CHECK(refusal_cause_now(protocol::edition::vws, ended, true) == refusal_cause::not_active);
  CHECK(describe({protocol::edition::vws, 3, refusal_cause::not_active}) ==
        "vWS: 3 checkouts refused in the last hour — every pool that serves vWS has ended or not "
        "started");
  CHECK(describe({protocol::edition::vcs, 2, refusal_cause::no_pool}) ==
        "vCS: 2 checkouts refused in the last hour — no pool serves vCS");
}

TEST_CASE("the banner names each refused edition with its count, and is absent without denials") {
  status_page_model model;
  model.now = now;
  model.leases = protocol::lease_page{};
  model.pools = {pool("lab-vws", protocol::edition::vws, 2, 2)};
  CHECK(render_status_page(model).find("denial-alerts") == std::string::npos);

  model.last_hour = {denied(protocol::edition::vws, now - 300, 20)};
  const std::string html = render_status_page(model);
  CHECK(html.find("<div class=\"alert\" id=\"denial-alerts\">") != std::string::npos);
  CHECK(html.find("<li data-edition=\"vWS\" data-refused=\"20\">vWS: 20 checkouts refused in the "
                  "last hour — no seat free</li>") != std::string::npos);
  // Above the pools, beside the pool banner.
  CHECK(html.find("id=\"denial-alerts\"") < html.find("<section id=\"pools\""));
}
