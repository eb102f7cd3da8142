// Reads the few fields the load generator needs from an answer's JSON body without parsing all of
// it: the load generator shares the CPU with the server, so it stays cheap. Fine for the answers
// of SPEC §2 (string values without escapes); not a JSON parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vgls::bench {

// The string value of the first member named `name` (at any depth), e.g. "id" of a lease.
std::optional<std::string_view> string_field(std::string_view body, std::string_view name);

// The outcome name for an answer: "granted" (201), "existing"/"renewed" (200, by `ok_name`),
// "released" (204), else the error code of the body, else "http_<status>".
std::string outcome_of(int status, std::string_view body, std::string_view ok_name);

}  // namespace vgls::bench
