// Loopback source addresses for new connections. One source address and one server port allow
// about as many connections as there are ephemeral ports (net.ipv4.ip_local_port_range, ~28,000 by
// default), counting the ones in TIME_WAIT; a boot storm of 100,000 needs several. Pure functions.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>

namespace vgls::bench {

// 127.0.0.(1 + index % count), or nullopt (kernel's choice) when count is 0.
std::optional<boost::asio::ip::address> source_address(int count, std::uint64_t index);

// How many source addresses `connections` new connections need: one per 16,000.
int source_addresses_for(std::int64_t connections);

}  // namespace vgls::bench
