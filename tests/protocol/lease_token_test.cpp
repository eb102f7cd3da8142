#include "protocol/lease_token.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace vgls::protocol;

TEST_CASE("base64url: RFC 4648 test vectors, no padding, strict decoding", "[lease_token]") {
  CHECK(base64url_encode("") == "");
  CHECK(base64url_encode("f") == "Zg");
  CHECK(base64url_encode("fo") == "Zm8");
  CHECK(base64url_encode("foo") == "Zm9v");
  CHECK(base64url_encode("foob") == "Zm9vYg");
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK(base64url_decode("Zm9vYg") == std::optional<std::string>("foob"));
  CHECK(base64url_decode("-_8") == std::optional<std::string>("\xfb\xff"));
  CHECK_FALSE(base64url_decode("Zm9vYg=="));  // padding
  CHECK_FALSE(base64url_decode("Zm9v+g"));    // the other alphabet
  CHECK_FALSE(base64url_decode("Z"));         // one char holds no byte
  CHECK_FALSE(base64url_decode("Zh"));        // stray bits
}

TEST_CASE("the header and claims are exactly the SPEC's members in its order", "[lease_token]") {
  CHECK(*base64url_decode(encoded_token_header("k1")) ==
        R"({"alg":"EdDSA","typ":"vgls-lease+jwt","kid":"k1"})");
  lease l;
  l.id = "lse_abc";
  l.client_id = "vm-1";
  l.requested_edition = edition::vpc;
  l.granted_edition = edition::vws;
  l.pool_id = "trial-vws";
  l.renewed_at = 1796032800;
  l.expires_at = 1796119200;
  l.ttl_seconds = 86400;
  CHECK(*base64url_decode(encoded_claims(claims_of(l, "inst-1"))) ==
        R"({"iss":"inst-1","sub":"vm-1","jti":"lse_abc","iat":1796032800,"exp":1796119200,)"
        R"("edition":"vWS","requested_edition":"vPC","pool":"trial-vws","ttl":86400})");
}

TEST_CASE("parse_lease_token splits a token and refuses malformed ones", "[lease_token]") {
  lease l;
  l.id = "lse_x";
  l.client_id = "vm";
  const std::string input = encoded_token_header("kid-7") + "." + encoded_claims(claims_of(l, "i"));
  const std::string token = input + "." + base64url_encode(std::string(64, 'S'));
  auto parsed = parse_lease_token(token);
  REQUIRE(parsed.is_ok());
  CHECK(parsed->kid == "kid-7");
  CHECK(parsed->claims.sub == "vm");
  CHECK(parsed->claims.jti == "lse_x");
  CHECK(parsed->signing_input == input);
  CHECK(parsed->signature == std::string(64, 'S'));

  CHECK_FALSE(parse_lease_token("a.b"));
  CHECK_FALSE(parse_lease_token(token + ".x"));
  CHECK_FALSE(parse_lease_token("!!." + token.substr(token.find('.') + 1)));
  const std::string other_alg =
      base64url_encode(R"({"alg":"none","typ":"vgls-lease+jwt","kid":"k"})");
  CHECK_FALSE(parse_lease_token(other_alg + token.substr(token.find('.'))));
}

TEST_CASE("the JWKS: written as the SPEC says, read back, foreign keys skipped", "[lease_token]") {
  const std::string body = encode_keys_answer({{"k1", "eA"}, {"k2", "eQ"}});
  CHECK(
      body.rfind(
          R"({"keys":[{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","use":"sig","kid":"k1","x":"eA"})",
          0) == 0);
  const auto j = nlohmann::json::parse(body);
  CHECK(j["keys"][0] == nlohmann::json{{"kty", "OKP"},
                                       {"crv", "Ed25519"},
                                       {"alg", "EdDSA"},
                                       {"use", "sig"},
                                       {"kid", "k1"},
                                       {"x", "eA"}});
  auto back = decode_keys_answer(
      R"({"keys":[{"kty":"RSA","kid":"r","n":"x"},{"kty":"OKP","crv":"Ed25519","kid":"k","x":"eA"}]})");
  REQUIRE(back.is_ok());
  REQUIRE(back->size() == 1);
  CHECK((*back)[0].kid == "k");
  CHECK(jwk_thumbprint_input("eA") == R"({"crv":"Ed25519","kty":"OKP","x":"eA"})");
}
