// The signed lease statement of SPEC §8, without the cryptography: the JWS compact form
// (RFC 7515) `base64url(header) . base64url(claims) . base64url(signature)`, its claims, and the
// JWKS of `GET /v1/keys`. The server signs the signing input and the agent verifies it with
// OpenSSL (server/signing, client/lease_token_verify); this unit only builds and splits the text.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/edition.h"
#include "protocol/lease.h"
#include "protocol/status.h"
#include "protocol/time.h"

namespace vgls::protocol {

inline constexpr std::string_view lease_token_type = "vgls-lease+jwt";

// RFC 4648 §5 without padding. Decoding refuses padding, other alphabets and stray bits.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

struct lease_claims {
  std::string iss;       // the installation id
  std::string sub;       // client_id
  std::string jti;       // lease id
  unix_seconds iat = 0;  // renewed_at
  unix_seconds exp = 0;  // expires_at
  protocol::edition edition = protocol::edition::vapp;
  protocol::edition requested_edition = protocol::edition::vapp;
  std::string pool;
  std::int64_t ttl = 0;
};

lease_claims claims_of(const lease& l, std::string_view installation_id);

// base64url of `{"alg":"EdDSA","typ":"vgls-lease+jwt","kid":"<kid>"}`, exactly those members in
// that order.
std::string encoded_token_header(std::string_view kid);
// base64url of the claims object, members in the order of SPEC §8.
std::string encoded_claims(const lease_claims& claims);

// A token split into its parts; nothing verified but the shape and the header's fixed fields.
struct parsed_lease_token {
  std::string kid;
  lease_claims claims;
  std::string signing_input;  // "<header>.<claims>", the bytes the signature covers
  std::string signature;      // raw bytes (64 for Ed25519)
};
// Errors are invalid_request with a message saying what is wrong.
result<parsed_lease_token> parse_lease_token(std::string_view token);

// One public key of the JWKS (RFC 8037 OKP / Ed25519).
struct public_jwk {
  std::string kid;
  std::string x;  // the raw 32-byte public key, base64url
};
// RFC 7638 thumbprint of an Ed25519 key: base64url(SHA-256(`{"crv":"Ed25519","kty":"OKP","x":…}`))
// needs a hash, so it lives with the crypto; this is the canonical JSON it hashes.
std::string jwk_thumbprint_input(std::string_view x);

// {"keys": [{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","use":"sig","kid","x"}]}
std::string encode_keys_answer(const std::vector<public_jwk>& keys);
// Keys of another type or curve are skipped, not errors (a JWKS may hold more than vgls writes).
result<std::vector<public_jwk>> decode_keys_answer(std::string_view body);

}  // namespace vgls::protocol
