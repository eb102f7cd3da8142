#include "server/signing/signing_key.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "protocol/lease_token.h"

namespace vgls::server {
namespace {

using protocol::status;

struct md_ctx_free {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct bio_free {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

}  // namespace

void signing_key::pkey_free::operator()(evp_pkey_st* key) const {
  EVP_PKEY_free(key);
}

signing_key::signing_key(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {}

std::string ed25519_kid(std::string_view x) {
  const std::string input = protocol::jwk_thumbprint_input(x);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return protocol::base64url_encode(
      std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

protocol::result<signing_key> signing_key::adopt(EVP_PKEY* raw, std::string_view source) {
  std::shared_ptr<evp_pkey_st> key(raw, pkey_free{});
  if (EVP_PKEY_get_base_id(raw) != EVP_PKEY_ED25519) {
    return status::invalid({}, std::string(source) + " is not an Ed25519 key");
  }
  unsigned char pub[32];
  std::size_t length = sizeof pub;
  if (EVP_PKEY_get_raw_public_key(raw, pub, &length) != 1 || length != sizeof pub) {
    return status::internal("cannot read the public half of " + std::string(source));
  }
  signing_key out(std::move(key));
  out.x_ = protocol::base64url_encode(std::string_view(reinterpret_cast<const char*>(pub), length));
  out.kid_ = ed25519_kid(out.x_);
  return out;
}

protocol::result<signing_key> signing_key::generate() {
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (raw == nullptr) {
    return status::internal("OpenSSL could not make an Ed25519 key");
  }
  return adopt(raw, "a new key");
}

protocol::result<signing_key> signing_key::from_pem(std::string_view pem, std::string_view source) {
  std::unique_ptr<BIO, bio_free> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    return status::internal("out of memory reading " + std::string(source));
  }
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (raw == nullptr) {
    return status::invalid({}, std::string(source) +
                                   " holds no PEM private key (expected PKCS#8, e.g. from "
                                   "`openssl genpkey -algorithm ed25519`)");
  }
  return adopt(raw, source);
}

std::string signing_key::private_pem() const {
  std::unique_ptr<BIO, bio_free> bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return {};
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string signing_key::sign(std::string_view input) const {
  std::unique_ptr<EVP_MD_CTX, md_ctx_free> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1) {
    return {};
  }
  std::string signature(64, '\0');
  std::size_t length = signature.size();
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return {};
  }
  signature.resize(length);
  return signature;
}

}  // namespace vgls::server
