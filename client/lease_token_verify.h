// Verifies a lease token (SPEC §8) offline: the JWS's Ed25519 signature with one of the given
// public keys (the key its header names), through OpenSSL's one-shot EVP_DigestVerify. What the
// claims must say beyond that (the client id, the lease id) is the caller's check.
// Pure functions, thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "protocol/lease_token.h"
#include "protocol/status.h"

namespace vgls::client {

// The claims, when the signature verifies with the key of the token's `kid` among `keys`.
// Errors (invalid_request, field "token"): malformed token, unknown key id, bad signature.
protocol::result<protocol::lease_claims> verify_lease_token(
    std::string_view token, const std::vector<protocol::public_jwk>& keys);

}  // namespace vgls::client
