// The signing reserve in the metrics (an addition to SPEC §13, docs/admin.md):
// vgls_signing_reserve_ready (signatures prepared ahead, ready now), vgls_signing_reserve_capacity
// (server.signing_reserve) and vgls_signing_on_demand_total (answers signed at full cost because
// the reserve was empty). Reads the reserve's counters; thread-safe.
#pragma once

#include <string>

#include "server/signing/nonce_reserve.h"

namespace vgls::server {

std::string render_signing_metrics(const nonce_reserve& reserve);

}  // namespace vgls::server
