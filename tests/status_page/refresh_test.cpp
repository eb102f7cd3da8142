// The status page refreshes its data in place: headless Chromium, driven over the DevTools
// protocol, scrolls and types on the real page of a real vglsd, the server's data changes, the
// page's own refresh runs, and the reader's place is still there: the same document (no reload),
// the same scroll position, the text typed in the lease filter and its focus, with the new data.
#include <catch2/catch.hpp>

#include "tests/status_page/chromium.h"
#include "tests/status_page/devtools_session.h"
#include "tests/status_page/page_fixture.h"
#include "tests/support/vglsd_process.h"

using namespace vgls::testing;
using json = nlohmann::json;

namespace {

// What the reader sees of the page, and whether it is still the same document.
constexpr const char* page_state = R"js(({
  marker: window.vglsMarker || null,
  y: Math.round(window.scrollY),
  typed: document.querySelector("input[name=hostname]").value,
  focused: document.activeElement ? document.activeElement.getAttribute("name") : null,
  caret: document.activeElement && document.activeElement.selectionStart,
  rows: document.querySelectorAll("#leases tr[data-lease-id]").length,
  active: document.getElementById("leases-active").textContent,
  refreshed: document.body.getAttribute("data-refreshed"),
  state: document.getElementById("refresh-state").textContent
}))js";

// Marks the document, types into the hostname filter (caret after 2 characters, focus kept) and
// scrolls down as far as the page allows, up to 900 px.
constexpr const char* read_and_type = R"js((function () {
  window.vglsMarker = "same document";
  var input = document.querySelector("input[name=hostname]");
  input.value = "vdi-ws";
  input.focus({ preventScroll: true });
  input.setSelectionRange(2, 2);
  window.scrollTo(0, Math.min(900, document.documentElement.scrollHeight - window.innerHeight));
  return true;
})())js";

}  // namespace

TEST_CASE("a refresh brings new data and keeps the scroll position, the typed filter and focus") {
  const auto chromium = chromium_or_skip();
  if (!chromium)
    return;
  vglsd_options options;
  options.config_toml = status_page_fixture_config(/*page_public=*/true);
  vglsd_process server(options);
  populate_status_page_fixture(server);

  devtools_session browser(*chromium, 390, 844);  // a phone: the page is long
  browser.navigate(server.url() + "/?pool=vws-main");
  CHECK(browser.evaluate("document.body.getAttribute('data-refresh')") == "30");
  REQUIRE(browser.evaluate(read_and_type) == true);
  const json before = browser.evaluate(page_state);
  INFO(before.dump());
  REQUIRE(before["y"].get<int>() >= 300);
  CHECK(before["rows"] == 3);
  CHECK(before["active"] == "7 active leases");
  CHECK(before["focused"] == "hostname");

  // The data changes on the server: one more vWS lease.
  auto client = server.client();
  REQUIRE(call_json(*client, "POST", "/v1/leases", {{"client_id", "ws-new"}, {"edition", "vWS"}})
              .status == 201);

  REQUIRE(browser.evaluate("vglsRefresh().then(function () { return true; })") == true);
  const json after = browser.evaluate(page_state);
  INFO(after.dump());
  CHECK(after["marker"] == "same document");
  CHECK(after["refreshed"] == "1");
  CHECK(after["rows"] == 4);
  CHECK(after["active"] == "8 active leases");
  CHECK(after["y"] == before["y"]);
  CHECK(after["typed"] == "vdi-ws");
  CHECK(after["focused"] == "hostname");
  CHECK(after["caret"] == 2);
}

TEST_CASE("with a viewer token as the Basic password, the page refreshes in place too") {
  const auto chromium = chromium_or_skip();
  if (!chromium)
    return;
  vglsd_options options;
  options.config_toml = status_page_fixture_config(/*page_public=*/false);
  vglsd_process server(options);
  populate_status_page_fixture(server);
  auto admin = server.admin_client();
  const auto made = call_json(*admin, "POST", "/v1/tokens", {{"name", "wall"}, {"role", "viewer"}});
  REQUIRE(made.status == 201);
  const std::string secret = made.body["token"]["secret"];

  devtools_session browser(*chromium, 1280, 900);
  // Credentials in the URL: the browser keeps them for the origin, as after a Basic prompt.
  browser.navigate("http://viewer:" + secret +
                   "@127.0.0.1:" + server.url().substr(server.url().rfind(':') + 1) + "/");
  REQUIRE(browser.evaluate("!!document.getElementById('pools')") == true);
  // The browser sends the credentials it was given again, as it does after a Basic prompt.
  CHECK(browser.evaluate("fetch(location.origin + '/').then(function (r) { return r.status; })") ==
        200);
  browser.evaluate("window.vglsMarker = 'same document'; true");
  REQUIRE(call_json(*server.client(), "POST", "/v1/leases",
                    {{"client_id", "ws-new"}, {"edition", "vWS"}})
              .status == 201);
  REQUIRE(browser.evaluate("vglsRefresh().then(function () { return true; })") == true);
  CHECK(browser.evaluate("window.vglsMarker") == "same document");
  CHECK(browser.evaluate("document.getElementById('leases-active').textContent") ==
        "8 active leases");
}

TEST_CASE("a server that cannot be reached leaves the page as it is and says so") {
  const auto chromium = chromium_or_skip();
  if (!chromium)
    return;
  vglsd_options options;
  options.config_toml = status_page_fixture_config(/*page_public=*/true);
  vglsd_process server(options);
  populate_status_page_fixture(server);

  devtools_session browser(*chromium, 1280, 900);
  browser.navigate(server.url() + "/");
  browser.evaluate("window.vglsMarker = 'same document'; true");
  REQUIRE(server.terminate() == 0);
  REQUIRE(browser.evaluate("vglsRefresh().then(function () { return true; })") == true);
  const json after = browser.evaluate(page_state);
  INFO(after.dump());
  CHECK(after["marker"] == "same document");
  CHECK(after["active"] == "7 active leases");
  CHECK(after["state"].get<std::string>().find("could not reach the server") != std::string::npos);
}
