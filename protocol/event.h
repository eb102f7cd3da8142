// The audit trail: one event per change of a lease or pool, and server facts (SPEC §2 /v1/events).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/edition.h"
#include "protocol/time.h"

namespace vgls::protocol {

// The SPEC spellings of event types.
namespace event_type {
inline constexpr std::string_view lease_granted = "lease.granted";
inline constexpr std::string_view lease_renewed = "lease.renewed";
inline constexpr std::string_view lease_released = "lease.released";
inline constexpr std::string_view lease_expired = "lease.expired";
inline constexpr std::string_view lease_revoked = "lease.revoked";
inline constexpr std::string_view lease_denied = "lease.denied";
inline constexpr std::string_view pool_created = "pool.created";
inline constexpr std::string_view pool_updated = "pool.updated";
inline constexpr std::string_view pool_deleted = "pool.deleted";
inline constexpr std::string_view server_started = "server.started";
inline constexpr std::string_view clock_rollback = "clock.rollback";
// Access tokens and signing keys (SPEC §8, §9), each with the actor who changed them.
inline constexpr std::string_view token_created = "token.created";
inline constexpr std::string_view token_replaced = "token.replaced";
inline constexpr std::string_view token_deleted = "token.deleted";
inline constexpr std::string_view key_added = "key.added";
}  // namespace event_type

// True for one of the spellings above.
bool is_event_type(std::string_view text);

struct event {
  std::int64_t id = 0;  // only grows
  unix_seconds at = 0;
  std::string type;
  std::optional<std::string> pool_id;
  std::optional<std::string> lease_id;
  std::optional<std::string> client_id;
  std::optional<protocol::edition> edition;
  nlohmann::json detail = nlohmann::json::object();
};

}  // namespace vgls::protocol
