// One Ed25519 signing key (SPEC §8): made fresh or read from PKCS#8 PEM (the store's column, or
// server.signing_key_file) through OpenSSL 3. Its key id is the RFC 7638 thumbprint of its public
// key, so the same key has the same id on every node and after every restart.
// Signatures are RFC 8032 Ed25519 with a random nonce (ed25519_nonce.h), computed with libsodium's
// scalar arithmetic, because OpenSSL offers only the deterministic form, which cannot use a nonce
// made ahead. Any Ed25519 verifier accepts them (tests verify them with OpenSSL).
//
// Thread-safety: immutable after construction; `sign` may be called from any thread at once.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "protocol/status.h"
#include "server/signing/ed25519_nonce.h"

struct evp_pkey_st;

namespace vgls::server {

class signing_key {
 public:
  static protocol::result<signing_key> generate();
  // `source` names where the PEM came from, for the error.
  static protocol::result<signing_key> from_pem(std::string_view pem, std::string_view source);

  const std::string& kid() const { return kid_; }
  // The raw 32-byte public key, base64url (the JWK's `x`).
  const std::string& public_x() const { return x_; }
  // PKCS#8 PEM of the private key, for the store.
  std::string private_pem() const;
  // The 64-byte Ed25519 signature (R || S) of `input` made with `nonce`, which is wiped: a nonce
  // signs one message only.
  std::string sign(std::string_view input, ed25519_nonce&& nonce) const;

 private:
  struct pkey_free {
    void operator()(evp_pkey_st* key) const;
  };
  // The secret scalar a of RFC 8032 §5.1.5 (the clamped half of SHA-512(seed)) reduced modulo L,
  // wiped when the last copy of the key goes.
  struct secret_scalar {
    std::array<unsigned char, 32> bytes{};
    ~secret_scalar();
  };
  explicit signing_key(std::shared_ptr<evp_pkey_st> key);
  static protocol::result<signing_key> adopt(evp_pkey_st* key, std::string_view source);

  std::shared_ptr<evp_pkey_st> key_;
  std::shared_ptr<const secret_scalar> scalar_;
  std::array<unsigned char, 32> public_{};  // A, as RFC 8032 encodes it
  std::string kid_;
  std::string x_;
};

// The RFC 7638 thumbprint of the Ed25519 public key `x` (base64url), as a key id.
std::string ed25519_kid(std::string_view x);

}  // namespace vgls::server
