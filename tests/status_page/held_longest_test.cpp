// The "Held longest" table: the oldest active leases, oldest first, with their age and renewal.
#include "server/status_page/held_longest.h"

#include <catch2/catch.hpp>

#include "server/status_page/status_page_render.h"

using namespace vgls;
using namespace vgls::server;

namespace {

constexpr protocol::unix_seconds now = 1'795'000'000;

protocol::lease lease(std::string id, protocol::unix_seconds issued_at,
                      protocol::unix_seconds renewed_at) {
  protocol::lease l;
  l.id = std::move(id);
  l.client_id = "client-" + l.id;
  l.pool_id = "lab-vws";
  l.hostname = "vm-" + l.id;
  l.issued_at = issued_at;
  l.renewed_at = renewed_at;
  return l;
}

}  // namespace

TEST_CASE("the query asks the store for the first page of ten, unfiltered") {
  const auto query = held_longest_query();
  CHECK(query.limit == held_longest_count);
  CHECK_FALSE(query.pool_id);
  CHECK_FALSE(query.edition);
  CHECK_FALSE(query.client_id);
  CHECK_FALSE(query.hostname_prefix);
  CHECK_FALSE(query.after);
}

TEST_CASE("at most ten leases are kept, oldest first") {
  std::vector<protocol::lease> page;
  for (int i = 0; i < 50; ++i)
    page.push_back(lease(std::to_string(i), now - 1000 * (i % 13) - i, now));
  const auto oldest = held_longest(page);
  REQUIRE(oldest.size() == 10);
  for (std::size_t i = 1; i < oldest.size(); ++i)
    CHECK(oldest[i - 1].issued_at <= oldest[i].issued_at);
}

TEST_CASE("each row says how long the lease is held and when it was last renewed") {
  const std::vector<protocol::lease> leases = {
      lease("old", now - 20 * 86400 - 3 * 3600, now - 1800), lease("fresh", now - 90, now - 90)};
  const std::string html = render_held_longest(leases, "", 70, now);
  CHECK(html.find("<section id=\"held-longest\">") != std::string::npos);
  CHECK(html.find("the 10 oldest of 70 active leases") != std::string::npos);
  CHECK(render_held_longest(leases, "", 2, now).find("<small>oldest first</small>") !=
        std::string::npos);
  CHECK(html.find("<tr data-lease-id=\"old\" data-held-seconds=\"1738800\">") != std::string::npos);
  CHECK(html.find("<td class=\"num held\">20d 3h</td>") != std::string::npos);
  CHECK(html.find(">30m ago</td>") != std::string::npos);
  CHECK(html.find("<td class=\"renewed muted\">never</td>") != std::string::npos);
  CHECK(html.find("data-lease-id=\"old\"") < html.find("data-lease-id=\"fresh\""));
}

TEST_CASE("no leases, or leases that cannot be read, are said in words") {
  CHECK(render_held_longest({}, "", 0, now).find("No active leases.") != std::string::npos);
  const std::string failed = render_held_longest({}, "unavailable: <db> down", 0, now);
  CHECK(failed.find("Leases cannot be shown: unavailable: &lt;db&gt; down") != std::string::npos);
}

TEST_CASE("the page holds the held-longest table, escaped, before the events") {
  status_page_model model;
  model.now = now;
  model.leases = protocol::lease_page{};
  auto hostile = lease("lse_x", now - 3600, now - 60);
  hostile.hostname = "<img src=x onerror=alert(1)>";
  model.held_longest = {hostile};
  model.leases_active = 1;
  const std::string html = render_status_page(model);
  CHECK(html.find("<section id=\"held-longest\">") < html.find("<section id=\"events\">"));
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
}
