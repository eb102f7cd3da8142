// Typed, non-throwing access to the members of a parsed JSON object, shared by the request and
// answer codecs. Every reader treats a null member as absent (SPEC: null for an optional field
// means "not given") and, on failure, returns invalid_request naming the member as the field.
// Internal to vgls::protocol; pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/edition.h"
#include "protocol/status.h"
#include "protocol/time.h"

namespace vgls::protocol::json_fields {

// The member `key` of `object`, or nullptr when `object` is not an object, or the member is
// absent or null.
const nlohmann::json* member(const nlohmann::json& object, std::string_view key);

// `max_bytes` = 0 means no limit.
result<std::optional<std::string>> optional_string(const nlohmann::json& object,
                                                   std::string_view key, std::size_t max_bytes = 0);
result<std::string> required_string(const nlohmann::json& object, std::string_view key,
                                    std::size_t max_bytes = 0);

// Integers only: 1.5, 2.0, true and "2" are all refused.
result<std::optional<std::int64_t>> optional_integer(const nlohmann::json& object,
                                                     std::string_view key);
result<std::int64_t> required_integer(const nlohmann::json& object, std::string_view key);

result<std::optional<unix_seconds>> optional_time(const nlohmann::json& object,
                                                  std::string_view key);
result<unix_seconds> required_time(const nlohmann::json& object, std::string_view key);

result<bool> required_bool(const nlohmann::json& object, std::string_view key);

// An unknown spelling is unknown_edition; a non-string is invalid_request.
result<std::optional<protocol::edition>> optional_edition(const nlohmann::json& object,
                                                          std::string_view key);
result<protocol::edition> required_edition(const nlohmann::json& object, std::string_view key);

// Serialises without throwing: bytes that are not UTF-8 become U+FFFD.
std::string dump(const nlohmann::json& j);

}  // namespace vgls::protocol::json_fields
