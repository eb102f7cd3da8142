#include "protocol/json_body.h"

#include "protocol/validation.h"

namespace vgls::protocol {
namespace {

using nlohmann::json;

// Deep enough for any request vgls reads (they are flat), shallow enough that no input can
// exhaust the stack of the recursive parser.
constexpr int max_json_depth = 32;

// Scans brackets outside strings; false when nesting exceeds max_json_depth.
bool nesting_within_limit(std::string_view body) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_json_depth) {
        return false;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

// The body failed to parse. When the fault is a number too large for any JSON type (`1e400`,
// a syntactically valid number), name the top-level member that holds it, since that field is at
// fault rather than the JSON; otherwise it is plain malformed JSON. The cold path only.
status unparsable_body(std::string_view body) {
  std::string top_level_key;
  const json::parser_callback_t track = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1 && parsed.is_string()) {
      top_level_key = parsed.get<std::string>();
    }
    return true;
  };
  try {
    const json whole = json::parse(body, track, true);
    static_cast<void>(whole);
  } catch (const json::out_of_range&) {
    if (!top_level_key.empty()) {
      return status::invalid(top_level_key, top_level_key + ": number out of range");
    }
  } catch (const std::exception&) {
  }
  return status::invalid({}, "body is not valid JSON");
}

}  // namespace

result<json> parse_json_object(std::string_view body) {
  if (!is_valid_utf8(body)) {
    return status::invalid({}, "body is not valid UTF-8");
  }
  if (!nesting_within_limit(body)) {
    return status::invalid({}, "body is nested deeper than 32 levels");
  }
  // JSON never holds a raw NUL (inside strings it must be escaped), but the parser takes one for
  // the end of input and would ignore whatever follows it.
  if (body.find('\0') != std::string_view::npos) {
    return status::invalid({}, "body is not valid JSON");
  }
  try {
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded()) {
      return unparsable_body(body);
    }
    if (!parsed.is_object()) {
      return status::invalid({}, "body must be a JSON object");
    }
    return parsed;
  } catch (const std::exception&) {
    return status::invalid({}, "body is not valid JSON");
  }
}

}  // namespace vgls::protocol
