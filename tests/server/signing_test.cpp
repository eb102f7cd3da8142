// Lease signatures with nonces made ahead: they must be RFC 8032 Ed25519 signatures that a
// verifier which is not vgls (OpenSSL's own Ed25519) accepts, and the reserve must hand out every
// nonce once.
#include <openssl/evp.h>
#include <sodium.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "protocol/lease_token.h"
#include "server/signing/nonce_reserve.h"
#include "server/signing/signing_key.h"
#include "tests/support/child_process.h"

using namespace vgls::server;
using vgls::testing::wait_until;
using namespace std::chrono_literals;

namespace {

struct pkey_free {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct md_ctx_free {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// OpenSSL's Ed25519 verification of `signature` over `message` with the raw public key of `key`.
bool openssl_verifies(const signing_key& key, const std::string& message,
                      const std::string& signature) {
  const auto raw = vgls::protocol::base64url_decode(key.public_x());
  REQUIRE(raw);
  std::unique_ptr<EVP_PKEY, pkey_free> pub(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw->data()), raw->size()));
  REQUIRE(pub);
  std::unique_ptr<EVP_MD_CTX, md_ctx_free> ctx(EVP_MD_CTX_new());
  REQUIRE(EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pub.get()) == 1);
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

std::string random_message(std::mt19937& random) {
  std::string text(std::uniform_int_distribution<std::size_t>(0, 600)(random), '\0');
  for (auto& c : text)
    c = static_cast<char>(random());
  return text;
}

}  // namespace

TEST_CASE("signatures with prepared and fresh nonces verify with OpenSSL; changed ones do not",
          "[signing]") {
  auto made = signing_key::generate();
  REQUIRE(made.is_ok());
  // The key as the store keeps it: through its PEM, so the secret scalar comes from the seed read.
  auto key = signing_key::from_pem(made->private_pem(), "the test key");
  REQUIRE(key.is_ok());
  CHECK(key->kid() == made->kid());
  nonce_reserve reserve(32);
  std::mt19937 random(8032);
  for (int i = 0; i < 200; ++i) {
    const std::string message = random_message(random);
    const std::string signature =
        i % 2 == 0 ? key->sign(message, reserve.take()) : key->sign(message, make_ed25519_nonce());
    REQUIRE(signature.size() == 64);
    REQUIRE(openssl_verifies(*key, message, signature));
    std::string changed_signature = signature;
    changed_signature[static_cast<std::size_t>(random() % 64)] ^=
        static_cast<char>(1 + random() % 255);
    CHECK_FALSE(openssl_verifies(*key, message, changed_signature));
    std::string changed_message = message + "x";
    CHECK_FALSE(openssl_verifies(*key, changed_message, signature));
  }
}

TEST_CASE("one message signed twice gives two signatures, both valid, and not another key's",
          "[signing]") {
  auto key = signing_key::generate();
  auto other = signing_key::generate();
  REQUIRE(key.is_ok());
  REQUIRE(other.is_ok());
  const std::string message = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ2bS0xIn0";
  const std::string first = key->sign(message, make_ed25519_nonce());
  const std::string second = key->sign(message, make_ed25519_nonce());
  CHECK(first != second);
  CHECK(first.substr(0, 32) != second.substr(0, 32));  // R, so the nonces differ
  CHECK(openssl_verifies(*key, message, first));
  CHECK(openssl_verifies(*key, message, second));
  CHECK_FALSE(openssl_verifies(*other, message, first));
}

TEST_CASE("the reserve fills to its capacity and hands out every nonce once", "[signing]") {
  constexpr std::size_t capacity = 64;
  nonce_reserve reserve(capacity);
  CHECK(reserve.capacity() == capacity);
  REQUIRE(wait_until([&] { return reserve.ready() == capacity; }, 30s));
  CHECK(reserve.made_on_demand() == 0);

  // Four threads take ten times the capacity at once: the reserve runs dry and the rest are made
  // on the spot; no nonce may come out twice, and each must be a scalar with its own point.
  std::vector<std::vector<ed25519_nonce>> taken(4);
  std::vector<std::thread> takers;
  for (auto& mine : taken) {
    takers.emplace_back([&reserve, &mine] {
      for (std::size_t i = 0; i < capacity * 10 / 4; ++i)
        mine.push_back(reserve.take());
    });
  }
  for (auto& t : takers)
    t.join();
  std::set<std::string> scalars;
  std::set<std::string> points;
  for (const auto& mine : taken) {
    for (const auto& n : mine) {
      scalars.emplace(n.r.begin(), n.r.end());
      points.emplace(n.R.begin(), n.R.end());
      unsigned char expected[32];
      REQUIRE(crypto_scalarmult_ed25519_base_noclamp(expected, n.r.data()) == 0);
      CHECK(std::equal(n.R.begin(), n.R.end(), expected));
    }
  }
  CHECK(scalars.size() == capacity * 10);
  CHECK(points.size() == capacity * 10);
  CHECK(reserve.made_on_demand() >= 1);
  // And it fills again.
  CHECK(wait_until([&] { return reserve.ready() == capacity; }, 30s));
}

TEST_CASE("a reserve of capacity 0 prepares nothing and still gives nonces", "[signing]") {
  nonce_reserve reserve(0);
  std::this_thread::sleep_for(50ms);
  CHECK(reserve.ready() == 0);
  const auto a = reserve.take();
  const auto b = reserve.take();
  CHECK(a.R != b.R);
  CHECK(reserve.made_on_demand() == 2);
}

TEST_CASE("a used nonce is wiped", "[signing]") {
  auto key = signing_key::generate();
  REQUIRE(key.is_ok());
  ed25519_nonce n = make_ed25519_nonce();
  key->sign("message", std::move(n));
  const ed25519_nonce zero{};
  CHECK(n.r == zero.r);
  CHECK(n.R == zero.R);
}
