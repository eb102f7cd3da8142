#include "server/status_page/denial_alerts.h"

#include <array>

namespace vgls::server {

refusal_cause refusal_cause_now(protocol::edition requested,
                                const std::vector<protocol::pool_view>& pools, bool allow_upgrade) {
  bool any = false;
  bool any_active = false;
  for (const auto& view : pools) {
    if (!protocol::satisfies(view.pool.edition, requested, allow_upgrade))
      continue;
    any = true;
    if (view.state != protocol::pool_state::active)
      continue;
    any_active = true;
    if (view.used < view.pool.seats)
      return refusal_cause::seats_free;
  }
  if (!any)
    return refusal_cause::no_pool;
  return any_active ? refusal_cause::no_seat : refusal_cause::not_active;
}

std::vector<denial_alert> denial_alerts(const std::vector<protocol::usage_bucket>& buckets,
                                        const std::vector<protocol::pool_view>& pools,
                                        bool allow_upgrade) {
  std::array<std::int64_t, protocol::all_editions.size()> refused{};
  for (const auto& bucket : buckets)
    refused[static_cast<std::size_t>(bucket.edition)] += bucket.denied;
  std::vector<denial_alert> alerts;
  for (const auto edition : protocol::all_editions) {
    const auto count = refused[static_cast<std::size_t>(edition)];
    if (count > 0)
      alerts.push_back({edition, count, refusal_cause_now(edition, pools, allow_upgrade)});
  }
  return alerts;
}

std::string describe(const denial_alert& alert) {
  const std::string edition(protocol::to_string(alert.edition));
  std::string text = edition + ": " + std::to_string(alert.refused) +
                     (alert.refused == 1 ? " checkout" : " checkouts") +
                     " refused in the last hour \xE2\x80\x94 ";  // " — "
  switch (alert.cause) {
    case refusal_cause::no_seat:
      return text + "no seat free";
    case refusal_cause::no_pool:
      return text + "no pool serves " + edition;
    case refusal_cause::not_active:
      return text + "every pool that serves " + edition + " has ended or not started";
    case refusal_cause::seats_free:
      return text + "seats are free again now";
  }
  return text;
}

}  // namespace vgls::server
