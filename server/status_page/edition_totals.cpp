#include "server/status_page/edition_totals.h"

#include <algorithm>

namespace vgls::server {

std::vector<edition_total> edition_totals(const std::vector<protocol::pool_view>& pools) {
  std::vector<edition_total> totals;
  for (const auto e : protocol::all_editions) {
    edition_total total;
    total.edition = e;
    bool any = false;
    for (const auto& view : pools) {
      if (view.pool.edition != e)
        continue;
      any = true;
      if (view.state != protocol::pool_state::active)
        continue;
      ++total.pools;
      total.seats += view.pool.seats;
      total.used += view.used;
      total.free += std::max<std::int64_t>(0, view.pool.seats - view.used);
    }
    if (any)
      totals.push_back(total);
  }
  return totals;
}

}  // namespace vgls::server
