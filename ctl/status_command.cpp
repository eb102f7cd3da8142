// vglsctl status: what the server says of itself, then its pools.
#include "ctl/commands.h"
#include "ctl/human_format.h"
#include "ctl/views.h"
#include "protocol/answer_codec.h"

namespace vgls::ctl {

exit_code run_status(admin_api& api, const output& o) {
  auto info = api.server_info();
  if (!info.is_ok())
    return report_failure(info.error(), api, o);
  auto pools = api.list_pools();
  if (!pools.is_ok())
    return report_failure(pools.error(), api, o);

  if (o.json) {
    nlohmann::json pool_list = nlohmann::json::array();
    for (const auto& view : *pools)
      pool_list.push_back(protocol::to_json(view));
    print_json(o.out, {{"server", protocol::to_json(*info)}, {"pools", pool_list}});
    return exit_code::done;
  }

  text_table facts({"SERVER", api.server_text()});
  facts.add_row({"version", info->version});
  facts.add_row({"uptime", format_span(info->uptime_seconds)});
  facts.add_row({"storage", info->storage_backend});
  if (info->node_role != "single") {
    // Several nodes share a PostgreSQL installation: say which one this is.
    std::string node = info->node_role;
    if (info->advertise_url)
      node += " at " + *info->advertise_url;
    if (info->active_since)
      node += ", active since " + format_time(*info->active_since);
    facts.add_row({"node", node});
  }
  facts.add_row({"time", format_time(info->time)});
  facts.add_row({"leases", std::to_string(info->leases_active) + " active in " +
                               std::to_string(info->pools) + " pools"});
  facts.add_row(
      {"clock", info->clock_rollback
                    ? "WARNING: the clock went back; expiry follows the high-water time " +
                          format_time(info->clock_high_water)
                    : "ok"});
  facts.write(o.out);
  o.out << '\n';
  pool_table(*pools).write(o.out);
  return exit_code::done;
}

}  // namespace vgls::ctl
