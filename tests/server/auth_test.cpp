#include "server/http/auth.h"

#include <catch2/catch.hpp>

using namespace vgls::server;

namespace {

const std::string admin = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";

bool is_401(const std::variant<caller, outgoing_response>& r, std::string_view challenge) {
  auto* response = std::get_if<outgoing_response>(&r);
  if (!response || response->status != 401)
    return false;
  for (auto& [name, value] : response->headers) {
    if (name == "WWW-Authenticate")
      return value == challenge;
  }
  return false;
}

caller who(const std::variant<caller, outgoing_response>& r) {
  REQUIRE(std::holds_alternative<caller>(r));
  return std::get<caller>(r);
}

}  // namespace

TEST_CASE("tokens compare equal only when identical", "[auth]") {
  CHECK(tokens_equal("abc", "abc"));
  CHECK_FALSE(tokens_equal("abc", "abd"));
  CHECK_FALSE(tokens_equal("abc", "abcd"));
  CHECK_FALSE(tokens_equal("", ""));
}

TEST_CASE("admin routes need the admin token as Bearer", "[auth]") {
  authenticator auth({admin, std::nullopt, false, true});
  CHECK(is_401(auth.check(access::admin, ""), "Bearer realm=\"vgls\""));
  CHECK(is_401(auth.check(access::admin, "Bearer wrong"), "Bearer realm=\"vgls\""));
  CHECK(is_401(auth.check(access::admin, admin), "Bearer realm=\"vgls\""));
  CHECK(who(auth.check(access::admin, "Bearer " + admin)).name == "admin");
  CHECK(who(auth.check(access::admin, "bearer " + admin)).name == "admin");
}

TEST_CASE("client routes are open without a client token, and ignore other headers", "[auth]") {
  authenticator auth({admin, std::nullopt, false, true});
  CHECK(who(auth.check(access::client, "")).what == caller::kind::client);
  CHECK(who(auth.check(access::client, "Bearer junk")).what == caller::kind::client);
  CHECK(who(auth.check(access::client, "Basic xyz")).what == caller::kind::client);
  // The admin token still makes a revoke of DELETE /v1/leases/{id}.
  CHECK(who(auth.check(access::client, "Bearer " + admin)).name == "admin");
}

TEST_CASE("with a client token, client routes need it or the admin token", "[auth]") {
  authenticator auth({admin, std::string("client-secret"), false, true});
  CHECK(is_401(auth.check(access::client, ""), "Bearer realm=\"vgls\""));
  CHECK(is_401(auth.check(access::client, "Bearer client-secreT"), "Bearer realm=\"vgls\""));
  CHECK(who(auth.check(access::client, "Bearer client-secret")).what == caller::kind::client);
  CHECK(who(auth.check(access::client, "Bearer " + admin)).name == "admin");
  // The client token is not an admin token.
  CHECK(is_401(auth.check(access::admin, "Bearer client-secret"), "Bearer realm=\"vgls\""));
}

TEST_CASE("the status page takes Basic with the admin token as password, or Bearer", "[auth]") {
  authenticator auth({"secret", std::nullopt, false, true});
  CHECK(is_401(auth.check(access::status_page, ""), "Basic realm=\"vgls\""));
  // "anyone:secret" and "admin:wrong" in base64.
  CHECK(who(auth.check(access::status_page, "Basic YW55b25lOnNlY3JldA==")).name == "admin");
  CHECK(is_401(auth.check(access::status_page, "Basic YWRtaW46d3Jvbmc="), "Basic realm=\"vgls\""));
  CHECK(is_401(auth.check(access::status_page, "Basic !!!"), "Basic realm=\"vgls\""));
  CHECK(who(auth.check(access::status_page, "Bearer secret")).name == "admin");

  authenticator open_page({"secret", std::nullopt, true, true});
  CHECK(who(open_page.check(access::status_page, "")).what == caller::kind::anonymous);
}

TEST_CASE("metrics are open unless metrics_public is false", "[auth]") {
  authenticator open_metrics({admin, std::nullopt, false, true});
  CHECK(who(open_metrics.check(access::metrics, "")).what == caller::kind::anonymous);
  authenticator closed({admin, std::nullopt, false, false});
  CHECK(is_401(closed.check(access::metrics, ""), "Bearer realm=\"vgls\""));
  CHECK(who(closed.check(access::metrics, "Bearer " + admin)).name == "admin");
  CHECK(who(closed.check(access::open, "")).what == caller::kind::anonymous);
}

TEST_CASE("named tokens: each role reaches its routes, a short role is 403, a wrong token 401",
          "[auth][roles]") {
  auto credentials = std::make_shared<vgls::storage::credentials>();
  auto add = [&](std::string name, vgls::protocol::role role, std::string secret) {
    vgls::storage::token_record t;
    t.name = std::move(name);
    t.role = role;
    t.secret_sha256_hex = secret_sha256_hex(secret);
    credentials->tokens.push_back(t);
  };
  add("dash", vgls::protocol::role::viewer, "viewer-secret");
  add("ops", vgls::protocol::role::operator_, "operator-secret");
  add("root", vgls::protocol::role::admin, "admin-secret");
  std::shared_ptr<const vgls::storage::credentials> published = credentials;
  authenticator auth({admin, std::nullopt, false, false}, [&] { return published; });

  auto status_of = [&](vgls::server::access level, const std::string& header) {
    auto r = auth.check(level, header);
    if (auto* response = std::get_if<outgoing_response>(&r))
      return response->status;
    return 200;
  };
  CHECK(who(auth.check(access::viewer, "Bearer viewer-secret")).name == "dash");
  CHECK(who(auth.check(access::viewer, "Bearer viewer-secret")).role ==
        vgls::protocol::role::viewer);
  CHECK(status_of(access::operator_, "Bearer viewer-secret") == 403);
  CHECK(status_of(access::admin, "Bearer viewer-secret") == 403);
  CHECK(status_of(access::operator_, "Bearer operator-secret") == 200);
  CHECK(status_of(access::admin, "Bearer operator-secret") == 403);
  CHECK(status_of(access::admin, "Bearer admin-secret") == 200);
  CHECK(status_of(access::admin, "Bearer admin-secre") == 401);
  CHECK(status_of(access::viewer, "") == 401);
  // The viewer reads the status page (Basic or Bearer) and the metrics.
  CHECK(status_of(access::status_page, "Basic eDp2aWV3ZXItc2VjcmV0") == 200);  // x:viewer-secret
  CHECK(status_of(access::metrics, "Bearer viewer-secret") == 200);
  CHECK(status_of(access::metrics, "") == 401);
  // A forbidden answer is the SPEC error body.
  auto r = auth.check(access::admin, "Bearer viewer-secret");
  CHECK(std::get<outgoing_response>(r).body.find("\"forbidden\"") != std::string::npos);

  // A new credentials value (a token removed) takes effect on the next check.
  auto without = std::make_shared<vgls::storage::credentials>(*credentials);
  without->tokens.erase(without->tokens.begin());
  published = without;
  CHECK(status_of(access::viewer, "Bearer viewer-secret") == 401);
  CHECK(status_of(access::viewer, "Bearer operator-secret") == 200);
}
