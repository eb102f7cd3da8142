#include "server/signing/signing_key.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <algorithm>

#include "protocol/lease_token.h"

namespace vgls::server {
namespace {

using protocol::status;

struct bio_free {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

}  // namespace

void signing_key::pkey_free::operator()(evp_pkey_st* key) const {
  EVP_PKEY_free(key);
}

signing_key::secret_scalar::~secret_scalar() {
  sodium_memzero(bytes.data(), bytes.size());
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
  require_sodium();
  signing_key out(std::move(key));
  std::size_t length = out.public_.size();
  if (EVP_PKEY_get_raw_public_key(raw, out.public_.data(), &length) != 1 ||
      length != out.public_.size()) {
    return status::internal("cannot read the public half of " + std::string(source));
  }
  // RFC 8032 §5.1.5: a is the first half of SHA-512(seed) with bits 0-2 and 255 cleared and bit
  // 254 set; reduced modulo L it multiplies the same way and fits libsodium's scalar functions.
  unsigned char seed[32];
  length = sizeof seed;
  if (EVP_PKEY_get_raw_private_key(raw, seed, &length) != 1 || length != sizeof seed) {
    sodium_memzero(seed, sizeof seed);
    return status::internal("cannot read the private half of " + std::string(source));
  }
  unsigned char expanded[64];
  crypto_hash_sha512(expanded, seed, sizeof seed);
  sodium_memzero(seed, sizeof seed);
  expanded[0] &= 248;
  expanded[31] &= 127;
  expanded[31] |= 64;
  sodium_memzero(expanded + 32, 32);  // the nonce prefix of deterministic signing: not used
  auto scalar = std::make_shared<secret_scalar>();
  crypto_core_ed25519_scalar_reduce(scalar->bytes.data(), expanded);
  sodium_memzero(expanded, sizeof expanded);
  out.scalar_ = std::move(scalar);
  out.x_ = protocol::base64url_encode(
      std::string_view(reinterpret_cast<const char*>(out.public_.data()), out.public_.size()));
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

std::string signing_key::sign(std::string_view input, ed25519_nonce&& nonce) const {
  // RFC 8032 §5.1.6 steps 4-6: k = SHA-512(R || A || M) mod L, S = (r + k·a) mod L.
  unsigned char digest[64];
  crypto_hash_sha512_state hash;
  crypto_hash_sha512_init(&hash);
  crypto_hash_sha512_update(&hash, nonce.R.data(), nonce.R.size());
  crypto_hash_sha512_update(&hash, public_.data(), public_.size());
  crypto_hash_sha512_update(&hash, reinterpret_cast<const unsigned char*>(input.data()),
                            input.size());
  crypto_hash_sha512_final(&hash, digest);
  unsigned char k[32];
  crypto_core_ed25519_scalar_reduce(k, digest);
  unsigned char ka[32];
  crypto_core_ed25519_scalar_mul(ka, k, scalar_->bytes.data());
  std::string signature(64, '\0');
  auto* out = reinterpret_cast<unsigned char*>(signature.data());
  std::copy(nonce.R.begin(), nonce.R.end(), out);
  crypto_core_ed25519_scalar_add(out + 32, ka, nonce.r.data());
  sodium_memzero(ka, sizeof ka);
  wipe(nonce);
  return signature;
}

}  // namespace vgls::server
