// What one call to a vgls server came to, for every client (the agent, vglsctl): the value asked
// for, or a `call_failure` that says which of three things went wrong:
//   - unreachable: no HTTP answer came back (connection refused, timeout, TLS failure, a broken
//     exchange);
//   - refused: the server answered with an error (its SPEC code, message and field; a 503 also
//     with Retry-After and, from a standby, the active node's URL in `Vgls-Active-Node`, SPEC §7);
//   - undecodable: a success answer the client cannot use (an unexpected 2xx status, a body that
//     is not the object asked for, or a lease token that does not verify).
// `read_answer` is the one place that turns an HTTP exchange into these. Plain values; safe to
// copy and move between threads, not synchronised.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "client/http_client.h"
#include "protocol/status.h"

namespace vgls::client {

// Why a call has no value.
struct call_failure {
  enum class kind { unreachable, refused, undecodable };

  kind what = kind::unreachable;
  // refused: the server's error. unreachable: `unavailable` with the transport's reason.
  // undecodable: why the answer cannot be used (`internal_error`, or the token check's status).
  protocol::status status;
  // The answer's HTTP status; 0 when unreachable.
  int http_status = 0;
  // Retry-After in whole seconds, when the answer had one that is a number.
  std::optional<int> retry_after_seconds;
  // `Vgls-Active-Node` of the answer; empty when absent.
  std::string active_node;

  static call_failure unreachable(const transport_error& error);
  // A refusal not from an answer (a check made before asking) has http_status 0.
  static call_failure refused(protocol::status error);
  static call_failure undecodable(protocol::status why);

  // False only when no answer came back.
  bool reached() const { return what != kind::unreachable; }
  // A standby's answer (SPEC §7: 503 unavailable naming the active node, or with Retry-After: 1):
  // another node serves, or will within seconds, so a caller may move on at once.
  bool from_standby() const;
  // "no_seat_available: every pool that could serve vWS is full", or "unreachable: cannot
  // connect to http://…: Connection refused", for logs and messages.
  std::string describe() const;
};

// The value, or why there is none.
template <class T>
class call_result {
 public:
  call_result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  call_result(call_failure failure)                   // NOLINT(google-explicit-constructor)
      : state_(std::move(failure)) {}

  bool is_ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return is_ok(); }
  T& value() { return std::get<T>(state_); }
  const T& value() const { return std::get<T>(state_); }
  const call_failure& error() const { return std::get<call_failure>(state_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }

 private:
  std::variant<T, call_failure> state_;
};

// The value of an answer without a body (204).
struct no_content {};

// The HTTP statuses that carry the answer a call asks for.
class accepted_statuses {
 public:
  accepted_statuses(std::initializer_list<int> statuses)  // NOLINT(google-explicit-constructor)
      : statuses_(statuses) {}
  // Every 2xx.
  static accepted_statuses any_success() { return accepted_statuses(); }

  bool contains(int status) const;

 private:
  accepted_statuses() = default;
  std::vector<int> statuses_;  // empty: any 2xx
};

using exchange_outcome = std::variant<http_response, transport_error>;

// The answer when its status is accepted; otherwise why not: no answer → unreachable, an error
// status → refused (its SPEC error as the body says, or from the HTTP status when the body is
// not an error body), any other 2xx → undecodable.
call_result<http_response> read_answer(exchange_outcome reply, const accepted_statuses& accepted);

// The accepted answer's body through a protocol decoder; a body it rejects is undecodable.
template <class T>
call_result<T> decode_answer(call_result<http_response> answer,
                             protocol::result<T> (*decode)(std::string_view)) {
  if (!answer.is_ok())
    return answer.error();
  auto decoded = decode(answer->body);
  if (!decoded.is_ok()) {
    auto failure = call_failure::undecodable(
        protocol::status::internal("unreadable answer: " + decoded.error().message()));
    failure.http_status = answer->status;
    return failure;
  }
  return std::move(decoded).value();
}

// read_answer, then decode_answer.
template <class T>
call_result<T> read_answer(exchange_outcome reply, const accepted_statuses& accepted,
                           protocol::result<T> (*decode)(std::string_view)) {
  return decode_answer(read_answer(std::move(reply), accepted), decode);
}

}  // namespace vgls::client
