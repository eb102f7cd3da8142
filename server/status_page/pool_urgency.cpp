#include "server/status_page/pool_urgency.h"

#include <algorithm>

#include "protocol/time.h"

namespace vgls::server {
namespace {

std::string days_text(std::int64_t days) {
  if (days <= 0)
    return "today";
  return "in " + std::to_string(days) + (days == 1 ? " day" : " days");
}

// "2026-11-01"
std::string date_of(protocol::unix_seconds t) {
  return protocol::format_rfc3339(t).substr(0, 10);
}

}  // namespace

std::string_view to_string(pool_urgency urgency) {
  switch (urgency) {
    case pool_urgency::ended:
      return "ended";
    case pool_urgency::full:
      return "full";
    case pool_urgency::ending_soon:
      return "ending_soon";
    case pool_urgency::fine:
      break;
  }
  return "fine";
}

bool ends_soon(const protocol::pool_view& view) {
  if (view.state == protocol::pool_state::expired)
    return true;
  return view.days_left && *view.days_left <= expiry_warning_days;
}

pool_urgency urgency_of(const protocol::pool_view& view) {
  if (view.state == protocol::pool_state::expired)
    return pool_urgency::ended;
  if (view.state == protocol::pool_state::active && view.used >= view.pool.seats)
    return pool_urgency::full;
  if (ends_soon(view))
    return pool_urgency::ending_soon;
  return pool_urgency::fine;
}

std::string urgency_reason(const protocol::pool_view& view) {
  const std::string& id = view.pool.id;
  switch (urgency_of(view)) {
    case pool_urgency::ended:
      return id + " ended" + (view.pool.expires_at ? " " + date_of(*view.pool.expires_at) : "");
    case pool_urgency::full: {
      std::string text = id + " is full (" + std::to_string(view.used) + "/" +
                         std::to_string(view.pool.seats) + ")";
      if (ends_soon(view))
        text += " and ends " + days_text(view.days_left.value_or(0));
      return text;
    }
    case pool_urgency::ending_soon:
      return id + " ends " + days_text(view.days_left.value_or(0));
    case pool_urgency::fine:
      break;
  }
  return {};
}

std::vector<protocol::pool_view> sorted_by_urgency(std::vector<protocol::pool_view> pools) {
  std::stable_sort(pools.begin(), pools.end(), [](const auto& a, const auto& b) {
    const auto ua = urgency_of(a);
    const auto ub = urgency_of(b);
    if (ua != ub)
      return ua < ub;
    if (ua == pool_urgency::ending_soon)
      return a.days_left.value_or(0) < b.days_left.value_or(0);
    return false;
  });
  return pools;
}

}  // namespace vgls::server
