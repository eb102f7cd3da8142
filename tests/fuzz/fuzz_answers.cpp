// The answer decoders vgls-agent and vglsctl run on what a server (or anything at its address)
// sends back.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/answer_codec.h"
#include "protocol/lease_token.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  // The first byte picks an HTTP status for the error decoder; the rest is the body.
  const int status = 200 + data[0] % 400;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  (void)vgls::protocol::decode_lease_answer(body);
  // The agent's side of signed leases: a token, the JWKS, base64url.
  (void)vgls::protocol::parse_lease_token(body);
  (void)vgls::protocol::decode_keys_answer(body);
  (void)vgls::protocol::base64url_decode(body);
  (void)vgls::protocol::decode_pool_answer(body);
  (void)vgls::protocol::decode_pools_answer(body);
  (void)vgls::protocol::decode_lease_page(body);
  (void)vgls::protocol::decode_events_answer(body);
  (void)vgls::protocol::decode_usage_answer(body);
  (void)vgls::protocol::decode_server_answer(body);
  (void)vgls::protocol::decode_error(status, body);
  return 0;
}
