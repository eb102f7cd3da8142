#include "server/signing/ed25519_nonce.h"

#include <sodium.h>

#include <stdexcept>

namespace vgls::server {

void require_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready)
    throw std::runtime_error("libsodium cannot be initialised (no random source)");
}

ed25519_nonce make_ed25519_nonce() {
  require_sodium();
  ed25519_nonce n;
  // r is in ]0, L[, so rB is never the identity and the call cannot refuse it; the loop only
  // keeps that true should libsodium ever say otherwise.
  do {
    crypto_core_ed25519_scalar_random(n.r.data());
  } while (crypto_scalarmult_ed25519_base_noclamp(n.R.data(), n.r.data()) != 0);
  return n;
}

void wipe(ed25519_nonce& n) {
  sodium_memzero(&n, sizeof n);
}

}  // namespace vgls::server
