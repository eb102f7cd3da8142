// JSON request bodies → the request types of requests.h.
//
// Decoders never throw: every failure is a status with the SPEC code (invalid_request or
// unknown_edition) and, when one field is at fault, that field's name. Unknown fields are ignored.
// Every body first passes json_body.h's hardening. Query strings are in query_codec.h, the
// clients' encoders in request_encoders.h. Pure functions, thread-safe.
#pragma once

#include <string_view>

#include "protocol/requests.h"
#include "protocol/status.h"

namespace vgls::protocol {

result<checkout_request> decode_checkout_request(std::string_view body);
// An empty body is a request with no client_time.
result<renew_request> decode_renew_request(std::string_view body);
result<pool_create_request> decode_pool_create_request(std::string_view body);
result<pool_patch_request> decode_pool_patch_request(std::string_view body);

}  // namespace vgls::protocol
