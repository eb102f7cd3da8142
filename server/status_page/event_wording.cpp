#include "server/status_page/event_wording.h"

#include <string_view>
#include <utility>

#include "server/status_page/page_format.h"

namespace vgls::server {
namespace {

namespace type = protocol::event_type;
using json = nlohmann::json;

constexpr std::string_view arrow = " \xE2\x86\x92 ";  // " → "

// A detail field as text: strings as they are, numbers and booleans printed, absent as "".
std::string field(const json& detail, std::string_view key) {
  if (!detail.is_object())
    return {};
  const auto it = detail.find(std::string(key));
  if (it == detail.end() || it->is_null())
    return {};
  if (it->is_string())
    return it->get<std::string>();
  return it->dump(-1, ' ', false, json::error_handler_t::replace);
}

// "2027-06-30T00:00:00Z" → "2027-06-30 00:00:00Z"; anything else as it is.
std::string when(const std::string& rfc3339) {
  if (rfc3339.size() == 20 && rfc3339[10] == 'T')
    return rfc3339.substr(0, 10) + " " + rfc3339.substr(11);
  return rfc3339;
}

// " by admin"; declared pools are changed by the config, trial pools by the first start.
std::string by_actor(const json& detail) {
  const std::string actor = field(detail, "actor");
  if (actor.empty() || actor == "trial")
    return {};
  if (actor == "config")
    return " from the config";
  return " by " + actor;
}

std::string edition_of(const protocol::event& e) {
  return e.edition ? std::string(protocol::to_string(*e.edition)) : std::string();
}

// "lease lse_1a2b3c… of client vm-17"
std::string lease_words(const protocol::event& e) {
  std::string text = "lease";
  if (e.lease_id)
    text += " " + short_lease_id(*e.lease_id);
  if (e.client_id)
    text += " of client " + *e.client_id;
  return text;
}

// " in pool lab-vws (vWS)"
std::string pool_words(const protocol::event& e, std::string_view preposition) {
  std::string text;
  if (e.pool_id)
    text += " " + std::string(preposition) + " pool " + *e.pool_id;
  if (e.edition)
    text += " (" + edition_of(e) + ")";
  return text;
}

std::string reason_words(const std::string& code) {
  if (code == "no_seat_available")
    return "no seat available";
  if (code == "license_expired")
    return "every pool that could serve has ended or not started";
  if (code == "no_pool_for_edition")
    return "no pool serves this edition";
  return code;
}

std::string granted(const protocol::event& e) {
  std::string text = lease_words(e) + " checked out" + pool_words(e, "from");
  const std::string requested = field(e.detail, "requested_edition");
  if (field(e.detail, "upgraded") == "true" && !requested.empty())
    text += ", upgraded from a " + requested + " request";
  return text;
}

std::string renewed(const protocol::event& e) {
  std::string text = lease_words(e) + " renewed";
  if (field(e.detail, "via") == "checkout")
    text += " by a repeated checkout";
  const std::string until = field(e.detail, "expires_at");
  if (!until.empty())
    text += ", until " + when(until);
  return text;
}

std::string released(const protocol::event& e) {
  std::string text = lease_words(e) + " released" + pool_words(e, "from");
  if (field(e.detail, "reason") == "replaced") {
    text += ": replaced by a lease for " + field(e.detail, "requested_edition");
  } else if (field(e.detail, "by") == "client") {
    text += " by the client";
  }
  return text;
}

std::string expired(const protocol::event& e) {
  std::string text = lease_words(e) + " expired" + pool_words(e, "in");
  if (field(e.detail, "reason") == "pool_expired")
    text += ": its pool ended";
  else
    text += ": not renewed in time";
  return text;
}

std::string revoked(const protocol::event& e) {
  std::string text = lease_words(e) + " revoked" + pool_words(e, "in");
  if (field(e.detail, "by") == "pool_deleted")
    return text + ": the pool was deleted" + by_actor(e.detail);
  return text + by_actor(e.detail);
}

std::string reclaimed(const protocol::event& e) {
  std::string text = lease_words(e) + " reclaimed" + pool_words(e, "in");
  const std::string reason = field(e.detail, "reason");
  const std::string host = field(e.detail, "host");
  if (!reason.empty())
    text += ": VM " + reason;
  if (!host.empty())
    text += " on host " + host;
  return text + by_actor(e.detail);
}

std::string denied(const protocol::event& e) {
  std::string text = "checkout refused";
  const std::string reason = field(e.detail, "reason");
  if (!reason.empty())
    text += ": " + reason_words(reason);
  const std::string requested = field(e.detail, "requested_edition");
  const std::string edition = requested.empty() ? edition_of(e) : requested;
  if (!edition.empty())
    text += " (" + edition + ")";
  if (e.client_id)
    text += " for client " + *e.client_id;
  return text;
}

std::string pool_created(const protocol::event& e) {
  const std::string prefix = field(e.detail, "source") == "trial" ? "trial pool " : "pool ";
  std::string text = prefix + e.pool_id.value_or("?") + " created" + by_actor(e.detail) + ": " +
                     field(e.detail, "seats") + " " + edition_of(e) + " seats";
  const std::string kind = field(e.detail, "kind");
  if (!kind.empty())
    text += ", " + kind;
  const std::string until = field(e.detail, "expires_at");
  text += until.empty() ? ", never expires" : ", until " + when(until);
  return text;
}

std::string pool_updated(const protocol::event& e) {
  std::string changes;
  static constexpr std::pair<const char*, const char*> fields[] = {
      {"seats", "seats"}, {"starts_at", "starts"}, {"expires_at", "expires"}};
  for (const auto& [key, label] : fields) {
    if (!e.detail.is_object() || !e.detail.contains(key))
      continue;
    const json& change = e.detail.at(key);
    std::string from = when(field(change, "from"));
    if (from.empty())
      from = "never";
    if (!changes.empty())
      changes += ", ";
    changes += std::string(label) + " " + from + std::string(arrow) + when(field(change, "to"));
  }
  std::string text = "pool " + e.pool_id.value_or("?") + " changed" + by_actor(e.detail);
  return changes.empty() ? text : text + ": " + changes;
}

std::string pool_deleted(const protocol::event& e) {
  std::string text = "pool " + e.pool_id.value_or("?") + " deleted" + by_actor(e.detail);
  const std::string revoked_count = field(e.detail, "revoked");
  if (!revoked_count.empty() && revoked_count != "0")
    text += ", " + revoked_count + (revoked_count == "1" ? " lease" : " leases") + " revoked";
  return text;
}

std::string server_started(const protocol::event& e) {
  std::string text = "server started";
  const std::string storage = field(e.detail, "storage");
  if (!storage.empty())
    text += " on " + storage;
  text += ": " + field(e.detail, "pools") + " pools, " + field(e.detail, "leases") + " leases";
  return text;
}

std::string clock_rollback(const protocol::event& e) {
  return "the system clock went back " + field(e.detail, "behind_seconds") + " s (clock " +
         when(field(e.detail, "wall_clock")) + ", highest time seen " +
         when(field(e.detail, "high_water")) + "); expiry keeps the highest time";
}

std::string token_change(const protocol::event& e, std::string_view what) {
  std::string text = "token " + field(e.detail, "name");
  const std::string role = field(e.detail, "role");
  if (!role.empty())
    text += " (" + role + ")";
  return text + " " + std::string(what) + by_actor(e.detail);
}

}  // namespace

std::string detail_pairs(const json& detail) {
  if (!detail.is_object())
    return detail.is_null() ? std::string()
                            : detail.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string text;
  // nlohmann::json keeps object keys sorted.
  for (const auto& [key, value] : detail.items()) {
    if (!text.empty())
      text += ' ';
    text += key + "=" +
            (value.is_string() ? value.get<std::string>()
                               : value.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  return text;
}

std::string describe_event(const protocol::event& e) {
  if (e.type == type::lease_granted)
    return granted(e);
  if (e.type == type::lease_renewed)
    return renewed(e);
  if (e.type == type::lease_released)
    return released(e);
  if (e.type == type::lease_expired)
    return expired(e);
  if (e.type == type::lease_revoked)
    return revoked(e);
  if (e.type == "lease.reclaimed")
    return reclaimed(e);
  if (e.type == type::lease_denied)
    return denied(e);
  if (e.type == type::pool_created)
    return pool_created(e);
  if (e.type == type::pool_updated)
    return pool_updated(e);
  if (e.type == type::pool_deleted)
    return pool_deleted(e);
  if (e.type == type::server_started)
    return server_started(e);
  if (e.type == type::clock_rollback)
    return clock_rollback(e);
  if (e.type == type::token_created)
    return token_change(e, "created");
  if (e.type == type::token_replaced)
    return token_change(e, "replaced");
  if (e.type == type::token_deleted)
    return token_change(e, "deleted");
  if (e.type == type::key_added)
    return "signing key " + field(e.detail, "kid") + " added" + by_actor(e.detail);

  // Unknown: the type and what the event names, then its detail as pairs.
  std::string text = e.type;
  if (e.pool_id)
    text += " pool=" + *e.pool_id;
  if (e.lease_id)
    text += " lease=" + short_lease_id(*e.lease_id);
  if (e.client_id)
    text += " client=" + *e.client_id;
  if (e.edition)
    text += " edition=" + edition_of(e);
  const std::string pairs = detail_pairs(e.detail);
  if (!pairs.empty())
    text += " " + pairs;
  return text;
}

}  // namespace vgls::server
