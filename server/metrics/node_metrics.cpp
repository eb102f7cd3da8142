#include "server/metrics/node_metrics.h"

namespace vgls::server {

std::string render_node_metrics(const storage::node_status& node) {
  const bool serves = node.role != storage::node_role::standby;
  std::string out;
  out +=
      "# HELP vgls_node_active 1 on the node that serves writes (the active node, or a SQLite "
      "node), 0 on a standby.\n# TYPE vgls_node_active gauge\nvgls_node_active ";
  out += serves ? "1\n" : "0\n";
  out +=
      "# HELP vgls_takeovers_total Times this node became the active node since it started.\n"
      "# TYPE vgls_takeovers_total counter\nvgls_takeovers_total ";
  out += std::to_string(node.takeovers);
  out += '\n';
  // On every node, standbys included, so a fleet's versions show during a rolling upgrade.
  out +=
      "# HELP vgls_build_info Always 1; the label names the running vglsd's version.\n"
      "# TYPE vgls_build_info gauge\nvgls_build_info{version=\"" VGLS_VERSION "\"} 1\n";
  return out;
}

}  // namespace vgls::server
