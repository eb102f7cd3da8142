// Signed lease statements (SPEC §8) against the real vglsd: every lease answer carries a JWS that
// a tool which is not vgls (the openssl command) verifies with a key of GET /v1/keys; the key is
// kept in the store (both backends) or read from server.signing_key_file; rotation keeps old keys
// published.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "protocol/lease_token.h"
#include "tests/server/e2e_steps.h"

using namespace vgls::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct token_parts {
  json header;
  json claims;
  std::string signing_input;
  std::string signature;
};

token_parts split_token(const std::string& token) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  REQUIRE(token.find('.', second + 1) == std::string::npos);
  const auto header = vgls::protocol::base64url_decode(token.substr(0, first));
  const auto claims = vgls::protocol::base64url_decode(token.substr(first + 1, second - first - 1));
  const auto signature = vgls::protocol::base64url_decode(token.substr(second + 1));
  REQUIRE(header);
  REQUIRE(claims);
  REQUIRE(signature);
  return {json::parse(*header), json::parse(*claims), token.substr(0, second), *signature};
}

// The JWK of `kid` in the server's JWKS, or null.
json jwk_of(vgls::client::http_client& c, const std::string& kid) {
  auto keys = call_json(c, "GET", "/v1/keys");
  REQUIRE(keys.status == 200);
  for (const auto& k : keys.body["keys"]) {
    if (k["kid"] == kid)
      return k;
  }
  return nullptr;
}

// Verifies `token` with `openssl pkeyutl -verify -rawin` and the public key `x` of a JWK: an
// implementation of Ed25519 that is not vgls's code path.
bool openssl_verifies(const std::filesystem::path& dir, const std::string& token,
                      const std::string& x) {
  const auto parts = split_token(token);
  const auto raw = vgls::protocol::base64url_decode(x);
  REQUIRE(raw);
  REQUIRE(raw->size() == 32);
  // SubjectPublicKeyInfo of an Ed25519 key (RFC 8410): a fixed 12-byte prefix, then the key.
  const std::string spki =
      std::string("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12) + *raw;
  write_file(dir / "pub.der", spki);
  write_file(dir / "input", parts.signing_input);
  write_file(dir / "sig", parts.signature);
  const std::string command = "openssl pkeyutl -verify -rawin -pubin -keyform DER -inkey '" +
                              (dir / "pub.der").string() + "' -in '" + (dir / "input").string() +
                              "' -sigfile '" + (dir / "sig").string() + "' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

}  // namespace

TEST_CASE("every lease answer carries a token of exactly the SPEC's header and claims",
          "[e2e][signing]") {
  vglsd_process server;
  auto c = server.client();
  auto granted = checkout(*c, "vm-sig-1", "vPC");
  REQUIRE(granted.status == 201);
  const auto& lease = granted.body["lease"];
  REQUIRE(lease["token"].is_string());
  const auto parts = split_token(lease["token"]);

  CHECK(parts.header.size() == 3);
  CHECK(parts.header["alg"] == "EdDSA");
  CHECK(parts.header["typ"] == "vgls-lease+jwt");
  const std::string kid = parts.header["kid"];
  CHECK_FALSE(kid.empty());
  // The header's bytes are exactly the SPEC's member order.
  const auto header_text = vgls::protocol::base64url_decode(
      lease["token"].get<std::string>().substr(0, lease["token"].get<std::string>().find('.')));
  CHECK(*header_text == R"({"alg":"EdDSA","typ":"vgls-lease+jwt","kid":")" + kid + "\"}");

  const auto& claims = parts.claims;
  CHECK(claims.size() == 9);
  CHECK(claims["iss"].is_string());
  CHECK_FALSE(claims["iss"].get<std::string>().empty());
  CHECK(claims["sub"] == "vm-sig-1");
  CHECK(claims["jti"] == lease["id"]);
  CHECK(claims["iat"] == *vgls::protocol::parse_rfc3339(lease["renewed_at"].get<std::string>()));
  CHECK(claims["exp"] == *vgls::protocol::parse_rfc3339(lease["expires_at"].get<std::string>()));
  CHECK(claims["edition"] == lease["edition"]);
  CHECK(claims["requested_edition"] == "vPC");
  CHECK(claims["pool"] == lease["pool_id"]);
  CHECK(claims["ttl"] == lease["ttl_seconds"]);
  CHECK(parts.signature.size() == 64);

  const json key = jwk_of(*c, kid);
  REQUIRE(key.is_object());
  CHECK(openssl_verifies(server.dir(), lease["token"], key["x"]));

  // Renew and read answer tokens too, signed alike; the renew's is a new one.
  const std::string id = lease["id"];
  auto renewed = call_json(*c, "POST", "/v1/leases/" + id + "/renew");
  REQUIRE(renewed.status == 200);
  REQUIRE(renewed.body["lease"]["token"].is_string());
  CHECK(openssl_verifies(server.dir(), renewed.body["lease"]["token"], key["x"]));
  auto read = call_json(*c, "GET", "/v1/leases/" + id);
  REQUIRE(read.status == 200);
  CHECK(split_token(read.body["lease"]["token"]).claims["jti"] == id);
  CHECK(openssl_verifies(server.dir(), read.body["lease"]["token"], key["x"]));
  auto again = checkout(*c, "vm-sig-1", "vPC");
  REQUIRE(again.status == 200);
  CHECK(openssl_verifies(server.dir(), again.body["lease"]["token"], key["x"]));

  // A changed claim no longer verifies.
  std::string tampered = lease["token"];
  const auto dot = tampered.find('.');
  auto changed = parts.claims;
  changed["sub"] = "vm-other";
  tampered = tampered.substr(0, dot + 1) + vgls::protocol::base64url_encode(changed.dump()) +
             tampered.substr(tampered.rfind('.'));
  CHECK_FALSE(openssl_verifies(server.dir(), tampered, key["x"]));
}

TEST_CASE("GET /v1/keys is a JWKS of Ed25519 keys, and the stored key survives a restart",
          "[e2e][signing]") {
  vglsd_process server;
  auto c = server.client();
  auto keys = call_json(*c, "GET", "/v1/keys");
  REQUIRE(keys.status == 200);
  REQUIRE(keys.body["keys"].size() == 1);
  const auto& k = keys.body["keys"][0];
  CHECK(k["kty"] == "OKP");
  CHECK(k["crv"] == "Ed25519");
  CHECK(k["alg"] == "EdDSA");
  CHECK(k["use"] == "sig");
  CHECK(vgls::protocol::base64url_decode(k["x"].get<std::string>())->size() == 32);
  const std::string kid = k["kid"];
  const std::string iss =
      split_token(checkout(*c, "vm-k", "vWS").body["lease"]["token"]).claims["iss"];

  server.restart();
  auto after = call_json(*server.client(), "GET", "/v1/keys");
  REQUIRE(after.body["keys"].size() == 1);
  CHECK(after.body["keys"][0]["kid"] == kid);
  CHECK(after.body["keys"][0]["x"] == k["x"]);
  const auto token = checkout(*server.client(), "vm-k2", "vWS").body["lease"]["token"];
  CHECK(split_token(token).header["kid"] == kid);
  CHECK(split_token(token).claims["iss"] == iss);
}

TEST_CASE("rotation signs with a new key and keeps the old one published", "[e2e][signing]") {
  vglsd_process server;
  auto c = server.client();
  auto admin = server.admin_client();
  const std::string old_token = checkout(*c, "vm-r1", "vWS").body["lease"]["token"];
  const std::string old_kid = split_token(old_token).header["kid"];

  CHECK(call_json(*c, "POST", "/v1/keys/rotate").status == 401);
  auto rotated = call_json(*admin, "POST", "/v1/keys/rotate");
  REQUIRE(rotated.status == 200);
  REQUIRE(rotated.body["keys"].size() == 2);
  const std::string new_kid = rotated.body["keys"][0]["kid"];
  CHECK(new_kid != old_kid);
  CHECK(rotated.body["keys"][1]["kid"] == old_kid);

  const std::string new_token = checkout(*c, "vm-r2", "vWS").body["lease"]["token"];
  CHECK(split_token(new_token).header["kid"] == new_kid);
  CHECK(openssl_verifies(server.dir(), new_token, jwk_of(*c, new_kid)["x"]));
  CHECK(openssl_verifies(server.dir(), old_token, jwk_of(*c, old_kid)["x"]));
  CHECK_FALSE(openssl_verifies(server.dir(), old_token, jwk_of(*c, new_kid)["x"]));

  // Recorded, with who asked; and still so after a restart.
  auto events = call_json(*admin, "GET", "/v1/events?type=key.added");
  REQUIRE(events.status == 200);
  REQUIRE(events.body["events"].size() == 2);
  CHECK(events.body["events"][1]["detail"]["kid"] == new_kid);
  CHECK(events.body["events"][1]["detail"]["actor"] == "admin");
  server.restart();
  auto keys = call_json(*server.client(), "GET", "/v1/keys");
  REQUIRE(keys.body["keys"].size() == 2);
  CHECK(keys.body["keys"][0]["kid"] == new_kid);
}

TEST_CASE("server.signing_key_file: tokens are signed with the operator's key", "[e2e][signing]") {
  vglsd_options options;
  options.start = false;
  vglsd_process server(options);
  const auto key_file = server.dir() / "signing.pem";
  REQUIRE(std::system(
              ("openssl genpkey -algorithm ed25519 -out '" + key_file.string() + "'").c_str()) ==
          0);
  write_file(server.config_file(), read_file(server.config_file()) +
                                       "\n[server]\nsigning_key_file = \"" + key_file.string() +
                                       "\"\n");
  server.start();
  auto c = server.client();
  const std::string token = checkout(*c, "vm-f", "vWS").body["lease"]["token"];
  auto keys = call_json(*c, "GET", "/v1/keys");
  REQUIRE(keys.status == 200);
  const json first = keys.body["keys"][0];
  CHECK(split_token(token).header["kid"] == first["kid"]);
  // The key openssl derives from the file is the one published.
  const auto pub_file = server.dir() / "pub.pem";
  REQUIRE(std::system(("openssl pkey -in '" + key_file.string() + "' -pubout -outform DER -out '" +
                       pub_file.string() + "'")
                          .c_str()) == 0);
  const std::string der = read_file(pub_file);
  REQUIRE(der.size() == 44);
  CHECK(vgls::protocol::base64url_encode(der.substr(12)) == first["x"]);
  CHECK(openssl_verifies(server.dir(), token, first["x"]));
  // Rotation is the file's business.
  auto rotated = call_json(*server.admin_client(), "POST", "/v1/keys/rotate");
  CHECK(rotated.status == 400);
}

namespace {

// The value of an unlabelled family in the server's /metrics.
long long metric(vgls::client::http_client& c, const std::string& family) {
  const std::string text = call(c, "GET", "/metrics").body;
  const std::string line = "\n" + family + " ";
  const auto at = text.find(line);
  REQUIRE(at != std::string::npos);
  return std::stoll(text.substr(at + line.size()));
}

vglsd_options with_reserve(int capacity) {
  return configured("[server]\nsigning_reserve = " + std::to_string(capacity) + "\n" + no_trial());
}

void add_pool(vglsd_process& server) {
  REQUIRE(create_pool(*server.admin_client(),
                      {{"id", "p"}, {"edition", "vWS"}, {"seats", 100}, {"kind", "perpetual"}})
              .status == 201);
}

}  // namespace

TEST_CASE("signatures prepared ahead: the reserve fills, signs valid tokens, and fills again",
          "[e2e][signing]") {
  vglsd_process server(with_reserve(20));
  add_pool(server);
  auto c = server.client();
  CHECK(metric(*c, "vgls_signing_reserve_capacity") == 20);
  REQUIRE(wait_until([&] { return metric(*c, "vgls_signing_reserve_ready") == 20; }, 30s));
  CHECK(server.log().find("up to 20 lease signatures are prepared ahead") != std::string::npos);

  // More answers than the reserve holds; whether one is signed from it or on the spot depends on
  // how busy the machine is, and every token verifies either way.
  std::vector<std::string> tokens;
  for (int i = 0; i < 30; ++i) {
    const auto answer = checkout(*c, "vm-r" + std::to_string(i), "vWS");
    REQUIRE(answer.status == 201);
    tokens.push_back(answer.body["lease"]["token"]);
  }
  const std::string x = jwk_of(*c, split_token(tokens[0]).header["kid"])["x"];
  for (const auto& token : tokens)
    CHECK(openssl_verifies(server.dir(), token, x));
  CHECK(wait_until([&] { return metric(*c, "vgls_signing_reserve_ready") == 20; }, 30s));
}

TEST_CASE("signing_reserve = 0: nothing is prepared and every answer is signed on the spot",
          "[e2e][signing]") {
  vglsd_process server(with_reserve(0));
  add_pool(server);
  auto c = server.client();
  std::vector<std::string> tokens;
  for (int i = 0; i < 5; ++i)
    tokens.push_back(checkout(*c, "vm-z" + std::to_string(i), "vWS").body["lease"]["token"]);
  CHECK(metric(*c, "vgls_signing_reserve_capacity") == 0);
  CHECK(metric(*c, "vgls_signing_reserve_ready") == 0);
  CHECK(metric(*c, "vgls_signing_on_demand_total") == 5);
  const std::string x = jwk_of(*c, split_token(tokens[0]).header["kid"])["x"];
  for (const auto& token : tokens)
    CHECK(openssl_verifies(server.dir(), token, x));
  CHECK(server.log().find("prepared ahead") == std::string::npos);
}
