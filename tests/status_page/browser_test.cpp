// The status page as an admin's browser sees it: headless Chromium loads the page from a real
// vglsd holding pools and leases, and the rendered DOM is checked against /v1/pools. Screenshots
// of the whole page at laptop and phone widths are kept as CI artifacts (<build>/artifacts/).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "tests/status_page/chromium.h"
#include "tests/status_page/devtools_session.h"
#include "tests/status_page/page_fixture.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vglsd_process.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

// The opening tag of the table row whose first attribute is `attribute`, e.g.
// `<tr data-pool-id="a" …>` (the banner's list items carry the same attribute).
std::string opening_tag(const std::string& dom, const std::string& attribute) {
  const auto at = dom.find("<tr " + attribute);
  if (at == std::string::npos)
    return {};
  return dom.substr(at, dom.find('>', at) - at + 1);
}

// Everything from the table row whose first attribute is `attribute` to the end of the row.
std::string row(const std::string& dom, const std::string& attribute) {
  const auto at = dom.find("<tr " + attribute);
  if (at == std::string::npos)
    return {};
  return dom.substr(at, dom.find("</tr>", at) - at);
}

bool is_png(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char signature[8] = {};
  in.read(signature, sizeof signature);
  return in && std::string(signature, 8) == "\x89PNG\r\n\x1a\n";
}

}  // namespace

TEST_CASE("headless Chromium shows every pool with its use, and warns of a pool about to expire") {
  const auto chromium = chromium_or_skip();
  if (!chromium)
    return;

  vglsd_options options;
  options.config_toml = status_page_fixture_config(/*page_public=*/true);
  vglsd_process server(options);
  populate_status_page_fixture(server);

  auto admin = server.admin_client();
  const auto pools = call_json(*admin, "GET", "/v1/pools");
  REQUIRE(pools.status == 200);
  REQUIRE(pools.body["pools"].size() == 3);

  const auto dumped = run_chromium(*chromium, server.url() + "/", "--dump-dom");
  REQUIRE(dumped.exit_status == 0);
  const std::string& dom = dumped.output;
  INFO(dom.substr(0, 2000));
  REQUIRE(dom.find("<title>vgls status</title>") != std::string::npos);

  for (const auto& pool : pools.body["pools"]) {
    const std::string id = pool["id"];
    CAPTURE(id);
    const std::string tag = opening_tag(dom, "data-pool-id=\"" + id + "\"");
    REQUIRE_FALSE(tag.empty());
    CHECK(tag.find("data-used=\"" + std::to_string(pool["used"].get<int>()) + "\"") !=
          std::string::npos);
    CHECK(tag.find("data-seats=\"" + std::to_string(pool["seats"].get<int>()) + "\"") !=
          std::string::npos);
  }

  {
    INFO("the pool expiring in 7 days carries the warning, the others do not");
    CHECK(opening_tag(dom, "data-pool-id=\"vpc-soon\"").find("class=\"warn\"") !=
          std::string::npos);
    CHECK(row(dom, "data-pool-id=\"vpc-soon\"").find("expires soon") != std::string::npos);
    CHECK(opening_tag(dom, "data-pool-id=\"vws-main\"").find("warn") == std::string::npos);
    CHECK(opening_tag(dom, "data-pool-id=\"vapp-perpetual\"").find("warn") == std::string::npos);
    CHECK(dom.find("id=\"pool-alerts\"") != std::string::npos);
  }

  {
    INFO("the banner names the full pool that ends soon, and it is listed first");
    CHECK(dom.find("data-urgency=\"full\">vpc-soon is full (4/4) and ends in ") !=
          std::string::npos);
    CHECK(dom.find("<tr data-pool-id=\"vpc-soon\"") < dom.find("<tr data-pool-id=\"vws-main\""));
    CHECK(dom.find("id=\"edition-totals\"") != std::string::npos);
  }

  {
    INFO("the full vPC pool shows today's denial");
    CHECK(row(dom, "data-pool-id=\"vpc-soon\"").find("denied bad\">1</td>") != std::string::npos);
    CHECK(row(dom, "data-pool-id=\"vws-main\"").find("denied\">0</td>") != std::string::npos);
  }

  {
    INFO("the banner names the refused vPC checkout, and why");
    CHECK(dom.find("<li data-edition=\"vPC\" data-refused=\"1\">vPC: 1 checkout refused in the "
                   "last hour — no seat free</li>") != std::string::npos);
  }

  {
    INFO("the oldest leases are listed, and events are in words");
    const auto held = dom.find("<section id=\"held-longest\">");
    REQUIRE(held != std::string::npos);
    const std::string oldest = dom.substr(held, dom.find("</section>", held) - held);
    CHECK(oldest.find("<td class=\"id\">ws-0</td>") != std::string::npos);
    CHECK(dom.find("checkout refused: no seat available (vPC) for client pc-4") !=
          std::string::npos);
    CHECK(dom.find("checked out from pool vws-main (vWS)") != std::string::npos);
  }

  {
    INFO("leases, events and both usage charts are on the page");
    CHECK(dom.find("data-lease-id=\"lse_") != std::string::npos);
    CHECK(dom.find("data-type=\"lease.denied\"") != std::string::npos);
    CHECK(dom.find("id=\"usage-24h\"") != std::string::npos);
    CHECK(dom.find("id=\"usage-30d\"") != std::string::npos);
    CHECK(dom.find("<svg") != std::string::npos);
  }

  {
    INFO("a hostname with markup is shown as text, never as an element");
    CHECK(dom.find("<img") == std::string::npos);
    CHECK(dom.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  }

  {
    INFO("screenshots of the whole page at laptop and phone widths are kept as artifacts");
    const std::filesystem::path artifacts = VGLS_ARTIFACT_DIR;
    std::filesystem::create_directories(artifacts);
    for (const auto& [name, width, height] :
         {std::tuple{"status_page.png", 1280, 900}, std::tuple{"status_page_390.png", 390, 844}}) {
      const auto file = artifacts / name;
      std::filesystem::remove(file);
      devtools_session browser(*chromium, width, height);
      browser.navigate(server.url() + "/");
      // Nothing is wider than the screen: wide tables scroll inside their own box.
      INFO("wider than the screen: "
           << browser
                  .evaluate(R"js(Array.from(document.querySelectorAll("body *"))
               .filter(function (e) { return e.getBoundingClientRect().right > innerWidth + 0.5 &&
                                             !e.closest(".scroll"); })
               .slice(0, 8).map(function (e) {
                 return e.tagName + "." + e.className + "#" + e.id + " " +
                        Math.round(e.getBoundingClientRect().right); }))js")
                  .dump());
      CHECK(browser.evaluate("document.documentElement.scrollWidth") == width);
      std::ofstream(file, std::ios::binary) << browser.full_page_png();
      CHECK(is_png(file));
    }
  }
}
