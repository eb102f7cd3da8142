// The status page renderer on hand-built models: escaping, expiry warnings, the hooks the browser
// test relies on, paging links, and that the page stays self-contained.
#include <catch2/catch.hpp>

#include "server/status_page/edition_totals.h"
#include "server/status_page/html_escape.h"
#include "server/status_page/pool_urgency.h"
#include "server/status_page/status_page_render.h"

using namespace vgls;
using namespace vgls::server;

namespace {

constexpr protocol::unix_seconds now = 1'795'000'000;  // 2026-11-18

protocol::pool_view pool(std::string id, std::optional<std::int64_t> days_left,
                         protocol::pool_state state = protocol::pool_state::active) {
  protocol::pool_view view;
  view.pool.id = std::move(id);
  view.pool.edition = protocol::edition::vws;
  view.pool.seats = 16;
  view.pool.kind = days_left ? protocol::pool_kind::subscription : protocol::pool_kind::perpetual;
  if (days_left)
    view.pool.expires_at = now + *days_left * protocol::seconds_per_day + 3600;
  view.used = 5;
  view.state = state;
  view.days_left = days_left;
  return view;
}

status_page_model base_model() {
  status_page_model model;
  model.version = "0.1.0";
  model.uptime_seconds = 3725;
  model.storage_backend = "sqlite";
  model.now = now;
  model.clock_high_water = now;
  model.leases = protocol::lease_page{};
  model.last_day.id = "usage-24h";
  model.last_day.from = now - 86400;
  model.last_day.to = now;
  model.last_month.id = "usage-30d";
  model.last_month.from = now - 30 * 86400;
  model.last_month.to = now;
  model.last_month.bucket_seconds = 86400;
  return model;
}

// The <tr …> opening tag of the row for pool `id`.
std::string pool_row(const std::string& html, const std::string& id) {
  const auto at = html.find("<tr data-pool-id=\"" + id + "\"");
  REQUIRE(at != std::string::npos);
  return html.substr(at, html.find('>', at) - at + 1);
}

// The whole row for pool `id`.
std::string pool_row_html(const std::string& html, const std::string& id) {
  const auto at = html.find("<tr data-pool-id=\"" + id + "\"");
  REQUIRE(at != std::string::npos);
  return html.substr(at, html.find("</tr>", at) - at);
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("html_escape neutralises markup and attribute quotes") {
  CHECK(html_escape("<script>alert('x')</script> & \"q\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  CHECK(html_escape("vdi-017 ünï") == "vdi-017 ünï");
}

TEST_CASE("pool rows carry their id, use and seats for scripts and tests") {
  auto model = base_model();
  model.pools = {pool("vws-main", 200)};
  const std::string html = render_status_page(model);
  const std::string row = pool_row(html, "vws-main");
  CHECK(contains(row, "data-used=\"5\""));
  CHECK(contains(row, "data-seats=\"16\""));
  CHECK(contains(row, "data-state=\"active\""));
  CHECK(contains(row, "data-edition=\"vWS\""));
  CHECK_FALSE(contains(row, "warn"));
  CHECK(contains(pool_row_html(html, "vws-main"), "200 days"));
}

TEST_CASE("a pool warns from 14 days before expiry, and when expired") {
  auto model = base_model();
  model.pools = {pool("fifteen", 15), pool("fourteen", 14), pool("zero", 0),
                 pool("gone", 0, protocol::pool_state::expired), pool("forever", std::nullopt)};
  const std::string html = render_status_page(model);

  CHECK_FALSE(contains(pool_row(html, "fifteen"), "warn"));
  CHECK(contains(pool_row(html, "fourteen"), "class=\"warn\""));
  CHECK(contains(pool_row_html(html, "fourteen"), "expires soon"));
  CHECK(contains(pool_row(html, "zero"), "class=\"warn\""));
  CHECK(contains(pool_row(html, "gone"), "class=\"warn expired\""));
  CHECK(contains(pool_row_html(html, "gone"), "expired"));
  CHECK_FALSE(contains(pool_row(html, "forever"), "warn"));
  CHECK(contains(pool_row_html(html, "forever"), "never<span class=\"opt\"> expires"));

  CHECK(contains(html, "id=\"pool-alerts\""));
  CHECK(contains(html, "3 pools need attention"));
  CHECK(contains(html, ">fourteen ends in 14 days</li>"));
  CHECK(contains(html, ">zero ends today</li>"));
  CHECK(contains(html, "<li data-pool-id=\"gone\" data-urgency=\"ended\">gone ended 2026-11-18"));
  CHECK_FALSE(contains(html, "<li data-pool-id=\"fifteen\""));
}

TEST_CASE("no banner when every pool has free seats and is far from its end") {
  auto model = base_model();
  model.pools = {pool("far", 300), pool("forever", std::nullopt)};
  CHECK_FALSE(contains(render_status_page(model), "pool-alerts"));
}

TEST_CASE("the banner names the full pool and the pool ending soon, with reasons") {
  auto model = base_model();
  auto full = pool("vws-main", 200);
  full.pool.seats = 120;
  full.used = 120;
  auto trial = pool("trial-vws", 3);
  trial.pool.kind = protocol::pool_kind::trial;
  auto full_and_ending = pool("vws-lab", 1);
  full_and_ending.used = 16;
  model.pools = {pool("fine", 200), trial, full, full_and_ending};
  const std::string html = render_status_page(model);

  const auto banner_at = html.find("id=\"pool-alerts\"");
  REQUIRE(banner_at != std::string::npos);
  CHECK(banner_at < html.find("id=\"pools\""));
  const std::string banner = html.substr(banner_at, html.find("</div>", banner_at) - banner_at);
  CHECK(contains(banner, "3 pools need attention"));
  CHECK(contains(banner,
                 "<li data-pool-id=\"vws-main\" data-urgency=\"full\">"
                 "vws-main is full (120/120)</li>"));
  CHECK(contains(banner,
                 "<li data-pool-id=\"trial-vws\" data-urgency=\"ending_soon\">"
                 "trial-vws ends in 3 days</li>"));
  CHECK(contains(banner, ">vws-lab is full (16/16) and ends in 1 day</li>"));
  CHECK_FALSE(contains(banner, "fine"));
  // Full before ending soon.
  CHECK(banner.find("vws-main") < banner.find("trial-vws"));
}

TEST_CASE("pools are sorted ended, full, ending soon, then the rest") {
  auto full = pool("full", 300);
  full.used = 16;
  auto over = pool("over", 300);  // seats lowered below use
  over.pool.seats = 2;
  auto waiting = pool("waiting", 300, protocol::pool_state::not_started);
  waiting.used = 0;
  const std::vector<protocol::pool_view> given = {pool("a-fine", 300),
                                                  pool("soon-9", 9),
                                                  full,
                                                  pool("b-fine", std::nullopt),
                                                  pool("ended", 0, protocol::pool_state::expired),
                                                  pool("soon-2", 2),
                                                  waiting,
                                                  over};

  std::vector<std::string> order;
  for (const auto& view : sorted_by_urgency(given))
    order.push_back(view.pool.id);
  CHECK(order == std::vector<std::string>{"ended", "full", "over", "soon-2", "soon-9", "a-fine",
                                          "b-fine", "waiting"});

  CHECK(urgency_of(full) == pool_urgency::full);
  CHECK(urgency_of(waiting) == pool_urgency::fine);

  auto model = base_model();
  model.pools = given;
  const std::string html = render_status_page(model);
  std::vector<std::string> rendered;
  for (auto at = html.find("<tr data-pool-id=\""); at != std::string::npos;
       at = html.find("<tr data-pool-id=\"", at + 1)) {
    const auto from = at + std::string_view("<tr data-pool-id=\"").size();
    rendered.push_back(html.substr(from, html.find('"', from) - from));
  }
  CHECK(rendered == order);
}

TEST_CASE("edition totals sum seats, used and free over the pools that grant now") {
  auto a = pool("vws-a", 200);  // 5 of 16
  auto b = pool("vws-b", 200);
  b.pool.seats = 4;
  b.used = 6;  // over-full: adds no free seats, takes none from vws-a
  auto ended = pool("vws-old", 0, protocol::pool_state::expired);
  auto vpc = pool("vpc-main", std::nullopt);
  vpc.pool.edition = protocol::edition::vpc;
  vpc.pool.seats = 10;
  vpc.used = 10;

  const auto totals = edition_totals({a, b, ended, vpc});
  REQUIRE(totals.size() == 2);
  CHECK(totals[0].edition == protocol::edition::vpc);
  CHECK(totals[0].seats == 10);
  CHECK(totals[0].used == 10);
  CHECK(totals[0].free == 0);
  CHECK(totals[1].edition == protocol::edition::vws);
  CHECK(totals[1].pools == 2);
  CHECK(totals[1].seats == 20);
  CHECK(totals[1].used == 11);
  CHECK(totals[1].free == 11);

  auto model = base_model();
  model.pools = {a, b, ended, vpc};
  const std::string html = render_status_page(model);
  const auto table_at = html.find("id=\"edition-totals\"");
  REQUIRE(table_at != std::string::npos);
  CHECK(table_at < html.find("<tr data-pool-id="));
  CHECK(contains(html,
                 "<tr data-edition=\"vWS\" data-seats=\"20\" data-used=\"11\" "
                 "data-free=\"11\">"));
  CHECK(contains(html,
                 "<tr data-edition=\"vPC\" data-seats=\"10\" data-used=\"10\" "
                 "data-free=\"0\">"));
}

TEST_CASE("a full pool shows a full bar") {
  auto model = base_model();
  auto full = pool("full", 100);
  full.used = 16;
  auto over = pool("over", 100);  // seats lowered below use: no lease is cut
  over.pool.seats = 2;
  over.used = 5;
  model.pools = {full, over};
  const std::string html = render_status_page(model);
  CHECK(contains(pool_row_html(html, "full"), "bar full"));
  CHECK(contains(pool_row_html(html, "over"), "width:100%"));
}

TEST_CASE("denials are shown per pool by its edition, from the last day's buckets") {
  auto model = base_model();
  auto vpc = pool("vpc-pool", 100);
  vpc.pool.edition = protocol::edition::vpc;
  model.pools = {pool("vws-pool", 100), vpc};
  protocol::usage_bucket a;
  a.edition = protocol::edition::vpc;
  a.start = now - 7200;
  a.denied = 3;
  protocol::usage_bucket b = a;
  b.start = now - 3600;
  b.denied = 4;
  model.last_day.buckets = {a, b};
  CHECK(denials_in(model.last_day, protocol::edition::vpc) == 7);
  CHECK(denials_in(model.last_day, protocol::edition::vws) == 0);
  const std::string html = render_status_page(model);
  CHECK(contains(pool_row_html(html, "vpc-pool"), ">7</td>"));
  CHECK(contains(pool_row_html(html, "vws-pool"), ">0</td>"));
}

TEST_CASE("nothing a client or admin sends can inject markup") {
  auto model = base_model();
  auto evil_pool = pool("p", 100);
  evil_pool.pool.id = "p\"><script>alert(1)</script>";
  model.pools = {evil_pool};
  protocol::lease lease;
  lease.id = "lse_<b>";
  lease.client_id = "<img src=x onerror=alert(2)>";
  lease.pool_id = "p";
  lease.hostname = "<script>alert(3)</script>";
  lease.vgpu_profile = "\"><svg onload=alert(4)>";
  lease.labels = {{"<k>", "v'\"&"}};
  model.leases->leases = {lease};
  model.leases->total = 1;
  protocol::event e;
  e.id = 1;
  e.type = "lease.granted";
  e.client_id = "<script>alert(5)</script>";
  e.detail = {{"note", "</td><script>alert(6)</script>"}};
  auto unknown = e;
  unknown.id = 2;
  unknown.type = "x.<script>";
  model.recent_events = {e, unknown};
  model.held_longest = {lease};
  model.filter.hostname = "\"><script>alert(7)</script>";
  model.filter_problems = {"edition: unknown edition \"<script>\", ignored"};

  const std::string html = render_status_page(model);
  // The page's own script is the only one, at the end of the body.
  CHECK(html.find("<script") == html.rfind("<script"));
  CHECK(html.find("<script>") > html.find("<footer>"));
  CHECK_FALSE(contains(html, "<img"));
  CHECK_FALSE(contains(html, "<svg onload"));
  CHECK_FALSE(contains(html, "<b>"));
  CHECK(contains(html, "data-pool-id=\"p&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
  CHECK(contains(html, "value=\"&quot;&gt;&lt;script&gt;alert(7)&lt;/script&gt;\""));
  CHECK(contains(html, "&lt;script&gt;alert(3)&lt;/script&gt;"));
  CHECK(contains(html, "&lt;k&gt;=v&#39;&quot;&amp;"));
  CHECK(contains(html,
                 "x.&lt;script&gt; client=&lt;script&gt;alert(5)&lt;/script&gt; "
                 "note=&lt;/td&gt;&lt;script&gt;alert(6)&lt;/script&gt;"));
}

TEST_CASE("the page is self-contained and refreshes itself") {
  auto model = base_model();
  model.pools = {pool("a", 100)};
  const std::string html = render_status_page(model);
  // With script, the data is refreshed in place; without, the page reloads itself.
  CHECK(contains(html, "<noscript><meta http-equiv=\"refresh\" content=\"30\"></noscript>"));
  CHECK(contains(html, "<body data-refresh=\"30\">"));
  CHECK(contains(html, "window.vglsRefresh = refresh;"));
  CHECK(contains(html, "<span id=\"refresh-state\"></span>"));
  CHECK(html.find("<script") == html.rfind("<script"));
  CHECK(contains(html, "name=\"viewport\""));
  CHECK_FALSE(contains(html, "http://"));
  CHECK_FALSE(contains(html, "https://"));
  CHECK_FALSE(contains(html, "fetch(\"http"));
  CHECK_FALSE(contains(html, "<link rel=\"stylesheet\""));
  CHECK(contains(html, "<link rel=\"icon\" href=\"data:,\">"));
  CHECK_FALSE(contains(html, "src="));
  CHECK(contains(html, "version 0.1.0"));
  CHECK(contains(html, "up 1h 2m"));
}

TEST_CASE("the clock warning appears only after a rollback") {
  auto model = base_model();
  CHECK_FALSE(contains(render_status_page(model), "clock-warning"));
  model.clock_rollback = true;
  model.clock_high_water = now + 3600;
  const std::string html = render_status_page(model);
  CHECK(contains(html, "id=\"clock-warning\""));
  CHECK(contains(html, protocol::format_rfc3339(now + 3600).replace(10, 1, " ")));
}

TEST_CASE("lease paging keeps the filter and offers the first page") {
  auto model = base_model();
  model.filter.pool = "trial-vws";
  model.filter.hostname = "vdi 0&1";
  model.filter.edition = protocol::edition::vws;
  model.leases->total = 120;
  model.leases->next = "cursor/+=";
  std::string html = render_status_page(model);
  CHECK(contains(html,
                 "id=\"next-page\" href=\"/?pool=trial-vws&amp;edition=vWS&amp;"
                 "hostname=vdi%200%261&amp;after=cursor%2F%2B%3D#leases\""));
  CHECK_FALSE(contains(html, "first-page"));
  CHECK(contains(html, "120 matching"));
  CHECK(contains(html, "<option value=\"vWS\" selected>"));
  CHECK(contains(html, "value=\"vdi 0&amp;1\""));

  model.filter.after = "cursor/+=";
  model.leases->next.reset();
  html = render_status_page(model);
  CHECK(contains(html,
                 "id=\"first-page\" href=\"/?pool=trial-vws&amp;edition=vWS&amp;"
                 "hostname=vdi%200%261#leases\""));
  CHECK_FALSE(contains(html, "next-page"));
}

TEST_CASE("a lease page that cannot be read is explained, the rest still renders") {
  auto model = base_model();
  model.pools = {pool("a", 100)};
  model.leases.reset();
  model.leases_error = "invalid_request: after: not a cursor";
  const std::string html = render_status_page(model);
  CHECK(contains(html, "Leases cannot be shown: invalid_request: after: not a cursor"));
  CHECK(contains(html, "data-pool-id=\"a\""));
}

TEST_CASE("lease rows show who holds what") {
  auto model = base_model();
  protocol::lease lease;
  lease.id = "lse_0123456789abcdefghijkl";
  lease.client_id = "4c4c4544-0042";
  lease.pool_id = "trial-vws";
  lease.requested_edition = protocol::edition::vpc;
  lease.granted_edition = protocol::edition::vws;
  lease.hostname = "vdi-017";
  lease.ttl_seconds = 86400 - 60;
  lease.client_clock_skew_seconds = -7200;
  lease.issued_at = now - 3 * 3600;
  lease.renewed_at = now - 720;
  auto fresh = lease;
  fresh.id = "lse_fresh";
  fresh.renewed_at = fresh.issued_at;
  model.leases->leases = {lease, fresh};
  model.leases->total = 2;
  const std::string html = render_status_page(model);
  CHECK(contains(html, "<tr data-lease-id=\"lse_0123456789abcdefghijkl\""));
  CHECK(contains(html, "vWS for vPC"));
  CHECK(contains(html, "in 23h 59m"));
  CHECK(contains(html, "(clock -2h)"));
  CHECK(contains(html, "<th>Renewed</th>"));
  CHECK(contains(html, "<td class=\"renewed\" title=\"2026-11-18 10:54:40Z\">12m ago</td>"));
  const auto fresh_at = html.find("data-lease-id=\"lse_fresh\"");
  REQUIRE(fresh_at != std::string::npos);
  CHECK(html.find("<td class=\"renewed muted\">never</td>", fresh_at) != std::string::npos);
  CHECK(contains(html, "Showing 2 of 2"));
}

TEST_CASE("events are listed newest first as given") {
  auto model = base_model();
  protocol::event newer;
  newer.id = 9;
  newer.type = "lease.denied";
  protocol::event older;
  older.id = 3;
  older.type = "pool.created";
  model.recent_events = {newer, older};
  const std::string html = render_status_page(model);
  const auto a = html.find("data-event-id=\"9\"");
  const auto b = html.find("data-event-id=\"3\"");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  CHECK(a < b);
}
