// The one error type of vgls: a `status` carries a SPEC error code, a message meant for the
// operator or client, and, when exactly one request field is at fault, that field's name.
// `result<T>` is either a value or a non-ok status. Both are plain values, safe to copy and move
// between threads; neither is synchronised.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace vgls::protocol {

// SPEC §2 error codes. `ok` is the absence of an error.
enum class error_code {
  ok,
  invalid_request,
  unknown_edition,
  unauthorized,
  not_found,
  lease_not_found,
  pool_not_found,
  no_pool_for_edition,
  license_expired,
  method_not_allowed,
  no_seat_available,
  pool_exists,
  pool_in_use,
  payload_too_large,
  unsupported_media_type,
  rate_limited,
  internal_error,
  unavailable,
  forbidden,
  token_exists,
  token_not_found,
};

// The wire spelling, e.g. "no_seat_available".
std::string_view to_string(error_code code);

// Inverse of to_string; nullopt for a spelling that is not a SPEC code.
std::optional<error_code> error_code_from_string(std::string_view text);

// The HTTP status an error code maps to (SPEC §2); 200 for ok. The only such mapping in vgls.
int http_status(error_code code);

class [[nodiscard]] status {
 public:
  status() = default;  // ok

  static status ok() { return {}; }
  static status error(error_code code, std::string message, std::string field = {}) {
    assert(code != error_code::ok);
    return status(code, std::move(message), std::move(field));
  }
  // Shorthands for the common codes.
  static status invalid(std::string field, std::string message) {
    return error(error_code::invalid_request, std::move(message), std::move(field));
  }
  static status internal(std::string message) {
    return error(error_code::internal_error, std::move(message));
  }
  static status unavailable(std::string message) {
    return error(error_code::unavailable, std::move(message));
  }

  bool is_ok() const { return code_ == error_code::ok; }
  explicit operator bool() const { return is_ok(); }
  error_code code() const { return code_; }
  const std::string& message() const { return message_; }
  // Empty when no single request field is at fault.
  const std::string& field() const { return field_; }

  // "no_seat_available: every pool that could serve vWS is full".
  std::string to_string() const;

  friend bool operator==(const status&, const status&) = default;

 private:
  status(error_code code, std::string message, std::string field)
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  error_code code_ = error_code::ok;
  std::string message_;
  std::string field_;
};

// A value, or the status that explains why there is none.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : value_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  result(status error) : error_(std::move(error)) {  // NOLINT(google-explicit-constructor)
    assert(!error_.is_ok());
  }

  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }

  // The error; an ok status when there is a value.
  const status& error() const { return error_; }

  T& value() & {
    assert(is_ok());
    return *value_;
  }
  const T& value() const& {
    assert(is_ok());
    return *value_;
  }
  T&& value() && {
    assert(is_ok());
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::optional<T> value_;
  status error_;
};

}  // namespace vgls::protocol
