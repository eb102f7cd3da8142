// The node's role in the metrics (SPEC §7): vgls_node_active (1 on the node that serves writes,
// the active node or a SQLite node) and vgls_takeovers_total (times this node became active).
// Rendered on a standby too, where the pool gauges are absent. Pure function.
#pragma once

#include <string>

#include "storage/store.h"

namespace vgls::server {

std::string render_node_metrics(const storage::node_status& node);

}  // namespace vgls::server
