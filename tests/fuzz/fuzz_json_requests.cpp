// The JSON request decoders of vglsd: every body a client or an admin may send.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/json_body.h"
#include "protocol/request_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)vgls::protocol::parse_json_object(body);
  (void)vgls::protocol::decode_checkout_request(body);
  (void)vgls::protocol::decode_renew_request(body);
  (void)vgls::protocol::decode_pool_create_request(body);
  (void)vgls::protocol::decode_pool_patch_request(body);
  return 0;
}
