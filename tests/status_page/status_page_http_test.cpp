// The status page over plain HTTP against a real vglsd: admin credentials (Basic or Bearer) unless
// the page is public, and a lease table that pages through the store instead of rendering it all.
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
  CHECK(count(first.body, "<tr data-lease-id=") == 50);
  CHECK(first.body.find("60 matching") != std::string::npos);
  const std::string next = link_target(first.body, "next-page");
  REQUIRE(next.rfind("/?pool=big&after=", 0) == 0);

  const auto second = call(*page, "GET", next.substr(0, next.find('#')));
  REQUIRE(second.status == 200);
  CHECK(count(second.body, "<tr data-lease-id=") == 10);
  CHECK(second.body.find("id=\"next-page\"") == std::string::npos);
  CHECK(link_target(second.body, "first-page") == "/?pool=big#leases");

  const auto kiosks = call(*page, "GET", "/?hostname=kiosk-&edition=vapp");
  CHECK(count(kiosks.body, "<tr data-lease-id=") == 2);

  // Bad filter values do not break the page: they are ignored and explained.
  const auto odd = call(*page, "GET", "/?edition=vXX&after=not-a-cursor");
  CHECK(odd.status == 200);
  CHECK(odd.body.find("unknown edition") != std::string::npos);
  CHECK(odd.body.find("data-pool-id=\"big\"") != std::string::npos);
}
