#include "bench/vgls_bench/source_addresses.h"

#include <algorithm>

namespace vgls::bench {

std::optional<boost::asio::ip::address> source_address(int count, std::uint64_t index) {
  if (count <= 0)
    return std::nullopt;
  const auto last = static_cast<unsigned char>(1 + index % static_cast<std::uint64_t>(count));
  return boost::asio::ip::address(boost::asio::ip::address_v4({127, 0, 0, last}));
}

int source_addresses_for(std::int64_t connections) {
  constexpr std::int64_t per_address = 16000;
  return static_cast<int>(
      std::clamp<std::int64_t>((connections + per_address - 1) / per_address, 1, 254));
}

}  // namespace vgls::bench
