// JSON request bodies and query strings ↔ the request types of requests.h.
//
// Decoders never throw: every failure is a status with the SPEC code (invalid_request or
// unknown_edition) and, when one field is at fault, that field's name. Unknown fields and
// unknown query parameters are ignored. Encoders are for clients (agent, vglsctl) and tests.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "protocol/requests.h"
#include "protocol/status.h"

namespace vgls::protocol {

// Query parameters, already percent-decoded; a repeated name keeps its last value.
using query_params = std::map<std::string, std::string, std::less<>>;

// Percent-encodes everything but RFC 3986's unreserved characters, for query values and path
// segments that clients and the status page's links put into a target.
std::string percent_encode(std::string_view text);

result<checkout_request> decode_checkout_request(std::string_view body);
// An empty body is a request with no client_time.
result<renew_request> decode_renew_request(std::string_view body);
result<pool_create_request> decode_pool_create_request(std::string_view body);
result<pool_patch_request> decode_pool_patch_request(std::string_view body);

result<lease_query> decode_lease_query(const query_params& params);
result<event_query> decode_event_query(const query_params& params);
// Defaults: to = now, from = to − 24 h, bucket = 1h.
result<usage_query> decode_usage_query(const query_params& params, unix_seconds now);
// `force` on DELETE /v1/pools/{id}: absent → false; "true"/"false"; anything else →
// invalid_request.
result<bool> decode_force_flag(const query_params& params);

// Parses a body that must be one JSON object (not an array, string or number, not nested deeper
// than a sane limit, valid UTF-8).
result<nlohmann::json> parse_json_object(std::string_view body);

nlohmann::json encode(const checkout_request& request);
nlohmann::json encode(const renew_request& request);
nlohmann::json encode(const pool_create_request& request);
nlohmann::json encode(const pool_patch_request& request);

}  // namespace vgls::protocol
