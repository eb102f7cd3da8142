// The hardening every JSON body passes before a decoder reads it: valid UTF-8, no raw NUL, nesting
// within a sane limit, one object at the top. Never throws; pure functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "protocol/status.h"

namespace vgls::protocol {

// Parses a body that must be one JSON object (not an array, string or number, not nested deeper
// than 32 levels, valid UTF-8). A number too large for any JSON type names the top-level member
// that holds it as the field at fault.
result<nlohmann::json> parse_json_object(std::string_view body);

}  // namespace vgls::protocol
