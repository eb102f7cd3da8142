// One Ed25519 signing key (SPEC §8) through OpenSSL 3: made fresh, or read from PKCS#8 PEM (the
// store's column, or server.signing_key_file). Its key id is the RFC 7638 thumbprint of its
// public key, so the same key has the same id on every node and after every restart.
//
// Thread-safety: immutable after construction; `sign` may be called from any thread at once
// (each call has its own EVP_MD_CTX; the key is shared read-only, as OpenSSL allows).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "protocol/status.h"

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
  // The 64-byte Ed25519 signature of `input`; empty only if OpenSSL fails (out of memory).
  std::string sign(std::string_view input) const;

 private:
  struct pkey_free {
    void operator()(evp_pkey_st* key) const;
  };
  explicit signing_key(std::shared_ptr<evp_pkey_st> key);
  static protocol::result<signing_key> adopt(evp_pkey_st* key, std::string_view source);

  std::shared_ptr<evp_pkey_st> key_;
  std::string kid_;
  std::string x_;
};

// The RFC 7638 thumbprint of the Ed25519 public key `x` (base64url), as a key id.
std::string ed25519_kid(std::string_view x);

}  // namespace vgls::server
