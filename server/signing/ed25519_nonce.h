// The per-signature secret of an Ed25519 signature (RFC 8032 §5.1.6): a scalar r and the point
// R = rB. Making R is a fixed-base scalar multiplication, nine tenths of what a signature costs;
// the rest, S = r + SHA-512(R || A || M)·a, is a hash and a multiply-add. RFC 8032 derives r from
// the key and the message; any r that is uniform modulo the group order and never used twice makes
// a signature every verifier accepts, so vgls draws r at random (libsodium's
// crypto_core_ed25519_scalar_random, ]0, L[) and can make R before the message exists
// (nonce_reserve).
// A nonce used twice, or one that is not uniform, gives the private key away: each is made once,
// handed out once, and wiped after use. Thread-safe (libsodium is initialised once, thread-safely).
#pragma once

#include <array>

namespace vgls::server {

struct ed25519_nonce {
  std::array<unsigned char, 32> r{};  // the scalar, little-endian, reduced modulo L
  std::array<unsigned char, 32> R{};  // rB, encoded as RFC 8032 §5.1.2 says
};

// A fresh nonce from the system's random source. Throws std::runtime_error only when libsodium
// cannot be initialised (no random source), which no signature could survive either.
ed25519_nonce make_ed25519_nonce();

// Overwrites `n` with zeros in a way the compiler keeps.
void wipe(ed25519_nonce& n);

// Initialises libsodium once; throws std::runtime_error when it cannot.
void require_sodium();

}  // namespace vgls::server
