#include "server/metrics/signing_metrics.h"

#include <fmt/format.h>

namespace vgls::server {

std::string render_signing_metrics(const nonce_reserve& reserve) {
  return fmt::format(
      "# HELP vgls_signing_reserve_ready Lease signatures prepared ahead and ready now.\n"
      "# TYPE vgls_signing_reserve_ready gauge\n"
      "vgls_signing_reserve_ready {}\n"
      "# HELP vgls_signing_reserve_capacity How many lease signatures are prepared ahead "
      "(server.signing_reserve).\n"
      "# TYPE vgls_signing_reserve_capacity gauge\n"
      "vgls_signing_reserve_capacity {}\n"
      "# HELP vgls_signing_on_demand_total Lease answers signed at full cost because no "
      "prepared signature was ready.\n"
      "# TYPE vgls_signing_on_demand_total counter\n"
      "vgls_signing_on_demand_total {}\n",
      reserve.ready(), reserve.capacity(), reserve.made_on_demand());
}

}  // namespace vgls::server
