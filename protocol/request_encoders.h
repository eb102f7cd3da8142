// Request bodies as clients (agent, vglsctl) and tests send them: the inverse of the decoders of
// request_codec.h. Absent optional fields are left out. Pure functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "protocol/requests.h"

namespace vgls::protocol {

nlohmann::json encode(const checkout_request& request);
nlohmann::json encode(const renew_request& request);
nlohmann::json encode(const pool_create_request& request);
nlohmann::json encode(const pool_patch_request& request);

}  // namespace vgls::protocol
