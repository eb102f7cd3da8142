#include "client/lease_token_verify.h"

#include <openssl/evp.h>

#include <memory>

namespace vgls::client {
namespace {

struct pkey_free {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct md_ctx_free {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

protocol::status refused(const std::string& why) {
  return protocol::status::invalid("token", "token: " + why);
}

}  // namespace

protocol::result<protocol::lease_claims> verify_lease_token(
    std::string_view token, const std::vector<protocol::public_jwk>& keys) {
  auto parsed = protocol::parse_lease_token(token);
  if (!parsed)
    return parsed.error();
  const protocol::public_jwk* key = nullptr;
  for (const auto& k : keys) {
    if (k.kid == parsed->kid)
      key = &k;
  }
  if (key == nullptr)
    return refused("signed by an unknown key " + parsed->kid);
  const auto raw = protocol::base64url_decode(key->x);
  if (!raw || raw->size() != 32)
    return refused("the key " + key->kid + " is not an Ed25519 public key");
  std::unique_ptr<EVP_PKEY, pkey_free> pkey(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw->data()), raw->size()));
  std::unique_ptr<EVP_MD_CTX, md_ctx_free> ctx(EVP_MD_CTX_new());
  if (!pkey || !ctx ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1) {
    return protocol::status::internal("OpenSSL cannot verify Ed25519 signatures here");
  }
  const int verified =
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(parsed->signature.data()),
                       parsed->signature.size(),
                       reinterpret_cast<const unsigned char*>(parsed->signing_input.data()),
                       parsed->signing_input.size());
  if (verified != 1)
    return refused("the signature does not verify with key " + key->kid);
  return parsed->claims;
}

}  // namespace vgls::client
