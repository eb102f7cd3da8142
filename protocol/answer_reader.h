// Reads the members of one answer object for the answer decoders; internal to vgls::protocol.
// The first failure is kept and later reads return defaults, so a decoder reads every field and
// checks once at the end. Not thread-safe (one decoder's local).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "protocol/json_fields.h"

namespace vgls::protocol {

class answer_reader {
 public:
  explicit answer_reader(const nlohmann::json& object) : object_(object) {
    if (!object.is_object()) {
      fail(status::invalid({}, "not a JSON object"));
    }
  }

  std::string text(std::string_view key) {
    return take(json_fields::required_string(object_, key), {});
  }
  std::optional<std::string> optional_text(std::string_view key) {
    return take(json_fields::optional_string(object_, key), {});
  }
  std::int64_t integer(std::string_view key) {
    return take(json_fields::required_integer(object_, key), 0);
  }
  std::optional<std::int64_t> optional_integer(std::string_view key) {
    return take(json_fields::optional_integer(object_, key), {});
  }
  unix_seconds time(std::string_view key) {
    return take(json_fields::required_time(object_, key), 0);
  }
  std::optional<unix_seconds> optional_time(std::string_view key) {
    return take(json_fields::optional_time(object_, key), {});
  }
  bool boolean(std::string_view key) {
    return take(json_fields::required_bool(object_, key), false);
  }
  protocol::edition edition(std::string_view key) {
    return take(json_fields::required_edition(object_, key), protocol::edition::vapp);
  }
  std::optional<protocol::edition> optional_edition(std::string_view key) {
    return take(json_fields::optional_edition(object_, key), {});
  }
  const nlohmann::json* member(std::string_view key) { return json_fields::member(object_, key); }

  void fail(const status& why) {
    if (error_.is_ok()) {
      error_ = status::internal("malformed answer: " + why.message());
    }
  }
  bool ok() const { return error_.is_ok(); }
  const status& error() const { return error_; }

 private:
  template <class T>
  T take(result<T> r, std::type_identity_t<T> fallback) {
    if (!r) {
      fail(r.error());
      return fallback;
    }
    return std::move(*r);
  }

  const nlohmann::json& object_;
  status error_;
};

}  // namespace vgls::protocol
