// Request targets and their query strings, as the router and the admin routes read them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/query_codec.h"
#include "protocol/request_codec.h"
#include "server/http/request_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  const auto parsed = vgls::server::parse_request_target(target);
  if (!parsed || parsed->query_malformed) {
    return 0;
  }
  (void)vgls::protocol::decode_lease_query(parsed->query);
  (void)vgls::protocol::decode_event_query(parsed->query);
  (void)vgls::protocol::decode_usage_query(parsed->query, 1'800'000'000);
  (void)vgls::protocol::decode_usage_query(parsed->query, 0);
  (void)vgls::protocol::decode_force_flag(parsed->query);
  return 0;
}
