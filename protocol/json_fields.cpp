#include "protocol/json_fields.h"

#include <limits>

namespace vgls::protocol::json_fields {
namespace {

using nlohmann::json;

std::string named(std::string_view key, std::string_view what) {
  std::string out(key);
  out += ": ";
  out += what;
  return out;
}

status invalid(std::string_view key, std::string_view what) {
  return status::invalid(std::string(key), named(key, what));
}

status missing(std::string_view key) {
  return invalid(key, "required");
}

}  // namespace

const json* member(const json& object, std::string_view key) {
  if (!object.is_object()) {
    return nullptr;
  }
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

result<std::optional<std::string>> optional_string(const json& object, std::string_view key,
                                                   std::size_t max_bytes) {
  const json* value = member(object, key);
  if (value == nullptr) {
    return std::optional<std::string>{};
  }
  if (!value->is_string()) {
    return invalid(key, "must be a string");
  }
  const auto& text = value->get_ref<const std::string&>();
  if (max_bytes != 0 && text.size() > max_bytes) {
    return invalid(key, "must be at most " + std::to_string(max_bytes) + " bytes");
  }
  return std::optional<std::string>{text};
}

result<std::string> required_string(const json& object, std::string_view key,
                                    std::size_t max_bytes) {
  auto text = optional_string(object, key, max_bytes);
  if (!text) {
    return text.error();
  }
  if (!text->has_value()) {
    return missing(key);
  }
  return std::move(**text);
}

result<std::optional<std::int64_t>> optional_integer(const json& object, std::string_view key) {
  const json* value = member(object, key);
  if (value == nullptr) {
    return std::optional<std::int64_t>{};
  }
  if (value->is_number_unsigned()) {
    const auto u = value->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return invalid(key, "out of range");
    }
    return std::optional<std::int64_t>{static_cast<std::int64_t>(u)};
  }
  if (value->is_number_integer()) {
    return std::optional<std::int64_t>{value->get<std::int64_t>()};
  }
  return invalid(key, "must be an integer");
}

result<std::int64_t> required_integer(const json& object, std::string_view key) {
  auto number = optional_integer(object, key);
  if (!number) {
    return number.error();
  }
  if (!number->has_value()) {
    return missing(key);
  }
  return **number;
}

result<std::optional<unix_seconds>> optional_time(const json& object, std::string_view key) {
  const json* value = member(object, key);
  if (value == nullptr) {
    return std::optional<unix_seconds>{};
  }
  if (value->is_string()) {
    if (auto t = parse_rfc3339(value->get_ref<const std::string&>())) {
      return std::optional<unix_seconds>{*t};
    }
  }
  return invalid(key, "must be an RFC 3339 time such as 2026-11-24T10:00:00Z");
}

result<unix_seconds> required_time(const json& object, std::string_view key) {
  auto t = optional_time(object, key);
  if (!t) {
    return t.error();
  }
  if (!t->has_value()) {
    return missing(key);
  }
  return **t;
}

result<bool> required_bool(const json& object, std::string_view key) {
  const json* value = member(object, key);
  if (value == nullptr) {
    return missing(key);
  }
  if (!value->is_boolean()) {
    return invalid(key, "must be true or false");
  }
  return value->get<bool>();
}

result<std::optional<protocol::edition>> optional_edition(const json& object,
                                                          std::string_view key) {
  const json* value = member(object, key);
  if (value == nullptr) {
    return std::optional<protocol::edition>{};
  }
  if (!value->is_string()) {
    return invalid(key, "must be a string");
  }
  if (auto e = parse_edition(value->get_ref<const std::string&>())) {
    return std::optional<protocol::edition>{*e};
  }
  return status::error(error_code::unknown_edition,
                       named(key, "must be one of vApp, vPC, vWS, vCS (or an alias)"),
                       std::string(key));
}

result<protocol::edition> required_edition(const json& object, std::string_view key) {
  auto e = optional_edition(object, key);
  if (!e) {
    return e.error();
  }
  if (!e->has_value()) {
    return missing(key);
  }
  return **e;
}

std::string dump(const json& j) {
  try {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (const std::exception&) {
    // Only allocation can fail here; an empty object keeps the answer well-formed.
    return "{}";
  }
}

}  // namespace vgls::protocol::json_fields
