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
  CHECK(who(auth.check(access::admin, "Bearer " + admin)) == caller::admin);
  CHECK(who(auth.check(access::admin, "bearer " + admin)) == caller::admin);
}

TEST_CASE("client routes are open without a client token, and ignore other headers", "[auth]") {
  authenticator auth({admin, std::nullopt, false, true});
  CHECK(who(auth.check(access::client, "")) == caller::client);
  CHECK(who(auth.check(access::client, "Bearer junk")) == caller::client);
  CHECK(who(auth.check(access::client, "Basic xyz")) == caller::client);
  // The admin token still makes a revoke of DELETE /v1/leases/{id}.
  CHECK(who(auth.check(access::client, "Bearer " + admin)) == caller::admin);
}

TEST_CASE("with a client token, client routes need it or the admin token", "[auth]") {
  authenticator auth({admin, std::string("client-secret"), false, true});
  CHECK(is_401(auth.check(access::client, ""), "Bearer realm=\"vgls\""));
  CHECK(is_401(auth.check(access::client, "Bearer client-secreT"), "Bearer realm=\"vgls\""));
  CHECK(who(auth.check(access::client, "Bearer client-secret")) == caller::client);
  CHECK(who(auth.check(access::client, "Bearer " + admin)) == caller::admin);
  // The client token is not an admin token.
  CHECK(is_401(auth.check(access::admin, "Bearer client-secret"), "Bearer realm=\"vgls\""));
}

TEST_CASE("the status page takes Basic with the admin token as password, or Bearer", "[auth]") {
  authenticator auth({"secret", std::nullopt, false, true});
  CHECK(is_401(auth.check(access::status_page, ""), "Basic realm=\"vgls\""));
  // "anyone:secret" and "admin:wrong" in base64.
  CHECK(who(auth.check(access::status_page, "Basic YW55b25lOnNlY3JldA==")) == caller::admin);
  CHECK(is_401(auth.check(access::status_page, "Basic YWRtaW46d3Jvbmc="), "Basic realm=\"vgls\""));
  CHECK(is_401(auth.check(access::status_page, "Basic !!!"), "Basic realm=\"vgls\""));
  CHECK(who(auth.check(access::status_page, "Bearer secret")) == caller::admin);

  authenticator open_page({"secret", std::nullopt, true, true});
  CHECK(who(open_page.check(access::status_page, "")) == caller::anonymous);
}

TEST_CASE("metrics are open unless metrics_public is false", "[auth]") {
  authenticator open_metrics({admin, std::nullopt, false, true});
  CHECK(who(open_metrics.check(access::metrics, "")) == caller::anonymous);
  authenticator closed({admin, std::nullopt, false, false});
  CHECK(is_401(closed.check(access::metrics, ""), "Bearer realm=\"vgls\""));
  CHECK(who(closed.check(access::metrics, "Bearer " + admin)) == caller::admin);
  CHECK(who(closed.check(access::open, "")) == caller::anonymous);
}
