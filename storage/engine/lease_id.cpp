#include "storage/engine/lease_id.h"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace vgls::storage {

namespace {

constexpr std::string_view base64url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void fill_random(std::uint8_t* out, std::size_t size) {
  std::size_t filled = 0;
  while (filled < size) {
    const ssize_t got = getrandom(out + filled, size - filled, 0);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      // Without a CSPRNG no safe id can be made; the store turns this into `unavailable`.
      throw std::runtime_error("getrandom failed; no lease id can be issued");
    }
    filled += static_cast<std::size_t>(got);
  }
}

}  // namespace

std::string new_lease_id() {
  // 18 bytes = 144 bits encode to exactly 24 base64 characters, no padding.
  std::array<std::uint8_t, 18> bytes{};
  fill_random(bytes.data(), bytes.size());
  std::string id = "lse_";
  id.reserve(4 + 24);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t group = (std::uint32_t{bytes[i]} << 16) |
                                (std::uint32_t{bytes[i + 1]} << 8) | std::uint32_t{bytes[i + 2]};
    id += base64url_alphabet[(group >> 18) & 0x3f];
    id += base64url_alphabet[(group >> 12) & 0x3f];
    id += base64url_alphabet[(group >> 6) & 0x3f];
    id += base64url_alphabet[group & 0x3f];
  }
  return id;
}

}  // namespace vgls::storage
