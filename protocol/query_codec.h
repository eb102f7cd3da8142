// Query strings of the admin routes ↔ the query types of requests.h.
//
// Decoders never throw: every failure is a status with the SPEC code (invalid_request or
// unknown_edition) naming the parameter as the field. Unknown parameters are ignored, and an
// empty value (`?pool=`) is the same as an absent one. Pure functions, thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "protocol/requests.h"
#include "protocol/status.h"

namespace vgls::protocol {

// Query parameters, already percent-decoded; a repeated name keeps its last value.
using query_params = std::map<std::string, std::string, std::less<>>;

result<lease_query> decode_lease_query(const query_params& params);
result<event_query> decode_event_query(const query_params& params);
// Defaults: to = now, from = to − 24 h, bucket = 1h.
result<usage_query> decode_usage_query(const query_params& params, unix_seconds now);
// `force` on DELETE /v1/pools/{id}: absent → false; "true"/"false"; anything else →
// invalid_request.
result<bool> decode_force_flag(const query_params& params);

}  // namespace vgls::protocol
