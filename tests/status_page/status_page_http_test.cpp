// The status page over plain HTTP against a real vglsd, on both backends: credentials (Basic or
// Bearer, any role) unless the page is public; a lease table that pages through the store instead
// of rendering it all, beside the ten oldest leases; refused checkouts in the banner; events in
// words; charts that start at the installation's first start.
#include <catch2/catch.hpp>
#include <regex>

#include "tests/status_page/page_fixture.h"
#include "tests/support/vglsd_process.h"

using namespace vgls;
using namespace vgls::testing;

namespace {

std::unique_ptr<client::http_client> client_with(const vglsd_process& server,
                                                 client::client_options options) {
  return std::make_unique<client::http_client>(*client::parse_server_url(server.url()), options);
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// The <section id="…"> of the page, up to its end.
std::string section(const std::string& html, const std::string& id) {
  const auto at = html.find("<section id=\"" + id + "\"");
  if (at == std::string::npos)
    return {};
  return html.substr(at, html.find("</section>", at) - at);
}

// The href of the element with id `id`, HTML entities for '&' undone.
std::string link_target(const std::string& html, const std::string& id) {
  std::smatch match;
  if (!std::regex_search(html, match, std::regex("id=\"" + id + "\" href=\"([^\"]*)\"")))
    return {};
  return std::regex_replace(match[1].str(), std::regex("&amp;"), "&");
}

}  // namespace

TEST_CASE("the status page wants the admin token, as Basic or Bearer, unless it is public") {
  vglsd_options options;
  options.config_toml = status_page_fixture_config(/*page_public=*/false);
  vglsd_process server(options);

  auto anonymous = server.client();
  const auto refused = call(*anonymous, "GET", "/");
  CHECK(refused.status == 401);
  CHECK(refused.header("WWW-Authenticate").find("Basic realm=\"vgls\"") != std::string::npos);

  client::client_options bearer;
  bearer.bearer_token = server.admin_token();
  const auto with_bearer = call(*client_with(server, bearer), "GET", "/");
  CHECK(with_bearer.status == 200);
  CHECK(with_bearer.header("Content-Type").find("text/html") != std::string::npos);

  client::client_options basic;
  basic.basic_password = server.admin_token();
  const auto with_basic = call(*client_with(server, basic), "GET", "/");
  CHECK(with_basic.status == 200);
  CHECK(with_basic.body.find("id=\"pools\"") != std::string::npos);

  client::client_options wrong;
  wrong.basic_password = "not-the-token";
  CHECK(call(*client_with(server, wrong), "GET", "/").status == 401);
}

TEST_CASE("a viewer token opens the status page, as Basic or Bearer") {
  vglsd_options options;
  options.config_toml = status_page_fixture_config(/*page_public=*/false);
  vglsd_process server(options);
  auto admin = server.admin_client();
  const auto made = call_json(*admin, "POST", "/v1/tokens", {{"name", "wall"}, {"role", "viewer"}});
  REQUIRE(made.status == 201);
  const std::string secret = made.body["token"]["secret"];

  client::client_options basic;
  basic.basic_password = secret;
  const auto page = call(*client_with(server, basic), "GET", "/");
  CHECK(page.status == 200);
  CHECK(page.body.find("<section id=\"held-longest\">") != std::string::npos);
  client::client_options bearer;
  bearer.bearer_token = secret;
  CHECK(call(*client_with(server, bearer), "GET", "/").status == 200);
}

TEST_CASE("the page names the checkouts refused in the last hour, with why") {
  vglsd_options options;
  options.config_toml = status_page_fixture_config(/*page_public=*/true);
  vglsd_process server(options);
  populate_status_page_fixture(server);  // one vPC checkout refused: its pool is full
  auto client = server.client();
  for (const char* id : {"pc-5", "pc-6"}) {
    REQUIRE(
        call_json(*client, "POST", "/v1/leases", {{"client_id", id}, {"edition", "vPC"}}).status ==
        409);
  }
  // No pool serves vCS at all.
  REQUIRE(call_json(*client, "POST", "/v1/leases", {{"client_id", "cs-0"}, {"edition", "vCS"}})
              .status == 404);

  const auto page = call(*server.client(), "GET", "/");
  REQUIRE(page.status == 200);
  INFO(page.body.substr(0, 3000));
  CHECK(page.body.find("<li data-edition=\"vPC\" data-refused=\"3\">vPC: 3 checkouts refused "
                       "in the last hour — no seat free</li>") != std::string::npos);
  CHECK(page.body.find("<li data-edition=\"vCS\" data-refused=\"1\">vCS: 1 checkout refused "
                       "in the last hour — no pool serves vCS</li>") != std::string::npos);
  CHECK(page.body.find("data-edition=\"vWS\" data-refused") == std::string::npos);

  // The events say it in words.
  const std::string events = section(page.body, "events");
  CHECK(events.find("checkout refused: no seat available (vPC) for client pc-6") !=
        std::string::npos);
  CHECK(events.find("checkout refused: no pool serves this edition (vCS) for client cs-0") !=
        std::string::npos);
  CHECK(events.find("{&quot;") == std::string::npos);
}

TEST_CASE("a new installation's charts start at its first start, and mark refusals") {
  vglsd_options options;
  options.config_toml = status_page_fixture_config(/*page_public=*/true);
  vglsd_process server(options);
  populate_status_page_fixture(server);
  auto info = call_json(*server.admin_client(), "GET", "/v1/server");
  REQUIRE(info.status == 200);
  const std::string today = info.body["time"].get<std::string>().substr(0, 10);

  const auto page = call(*server.client(), "GET", "/");
  REQUIRE(page.status == 200);
  const std::string usage = section(page.body, "usage");
  CHECK(count(usage, "since the first start, " + today) == 2);
  // The fixture's refused vPC checkout is marked in both charts.
  CHECK(count(usage, "<g class=\"denials\">") == 2);
  // Scaled to the use: at most 4 leases of one edition, so no axis label of the 10 vWS seats.
  CHECK(usage.find(">10</text>") == std::string::npos);
}

TEST_CASE("a public status page answers without credentials") {
  vglsd_options options;
  options.config_toml = status_page_fixture_config(/*page_public=*/true);
  vglsd_process server(options);
  CHECK(call(*server.client(), "GET", "/").status == 200);
}

TEST_CASE("the lease table shows one page at a time and follows the filter") {
  vglsd_options options;
  options.config_toml = status_page_fixture_config(/*page_public=*/true);
  vglsd_process server(options);
  auto admin = server.admin_client();
  REQUIRE(call_json(*admin, "POST", "/v1/pools",
                    {{"id", "big"}, {"edition", "vCS"}, {"seats", 100}, {"kind", "perpetual"}})
              .status == 201);
  REQUIRE(call_json(*admin, "POST", "/v1/pools",
                    {{"id", "small"}, {"edition", "vApp"}, {"seats", 5}, {"kind", "perpetual"}})
              .status == 201);
  auto client = server.client();
  for (int i = 0; i < 60; ++i) {
    REQUIRE(call_json(*client, "POST", "/v1/leases",
                      {{"client_id", "cs-" + std::to_string(i)},
                       {"edition", "vCS"},
                       {"hostname", "gpu-" + std::to_string(i)}})
                .status == 201);
  }
  for (int i = 0; i < 2; ++i) {
    REQUIRE(call_json(*client, "POST", "/v1/leases",
                      {{"client_id", "app-" + std::to_string(i)},
                       {"edition", "vApp"},
                       {"hostname", "kiosk-" + std::to_string(i)}})
                .status == 201);
  }

  auto page = server.client();
  const auto first = call(*page, "GET", "/?pool=big");
  REQUIRE(first.status == 200);
  CHECK(count(section(first.body, "leases"), "<tr data-lease-id=") == 50);
  CHECK(first.body.find("60 matching") != std::string::npos);
  const std::string next = link_target(first.body, "next-page");
  REQUIRE(next.rfind("/?pool=big&after=", 0) == 0);

  const auto second = call(*page, "GET", next.substr(0, next.find('#')));
  REQUIRE(second.status == 200);
  CHECK(count(section(second.body, "leases"), "<tr data-lease-id=") == 10);
  CHECK(second.body.find("id=\"next-page\"") == std::string::npos);
  CHECK(link_target(second.body, "first-page") == "/?pool=big#leases");

  const auto kiosks = call(*page, "GET", "/?hostname=kiosk-&edition=vapp");
  CHECK(count(section(kiosks.body, "leases"), "<tr data-lease-id=") == 2);

  // The oldest ten of all 62, whatever the filter: the first vCS leases, oldest first.
  for (const auto* body : {&first.body, &second.body, &kiosks.body}) {
    const std::string oldest = section(*body, "held-longest");
    CHECK(count(oldest, "<tr data-lease-id=") == 10);
    CHECK(oldest.find("<td class=\"id\">cs-0</td>") < oldest.find("<td class=\"id\">cs-1</td>"));
    CHECK(oldest.find("cs-10<") == std::string::npos);
    CHECK(oldest.find("app-") == std::string::npos);
  }

  // Bad filter values do not break the page: they are ignored and explained.
  const auto odd = call(*page, "GET", "/?edition=vXX&after=not-a-cursor");
  CHECK(odd.status == 200);
  CHECK(odd.body.find("unknown edition") != std::string::npos);
  CHECK(odd.body.find("data-pool-id=\"big\"") != std::string::npos);
}
