// vglsctl lease list | revoke.
#include "ctl/commands.h"
#include "ctl/human_format.h"
#include "ctl/views.h"
#include "protocol/answer_codec.h"

namespace vgls::ctl {

exit_code run_lease_list(const lease_list_command& command, admin_api& api, const output& o) {
  protocol::lease_query query;
  query.pool_id = command.pool;
  query.edition = command.edition;
  query.client_id = command.client;
  query.hostname_prefix = command.hostname;
  query.limit = command.limit;
  auto page = api.list_leases(query);
  if (!page.is_ok())
    return report_failure(page.error(), api, o);
  if (o.json) {
    nlohmann::json leases = nlohmann::json::array();
    for (const auto& l : page->leases)
      leases.push_back(protocol::to_json(l));
    print_json(o.out, {{"leases", leases},
                       {"next", page->next ? nlohmann::json(*page->next) : nlohmann::json()},
                       {"total", page->total}});
    return exit_code::done;
  }

  text_table table({"LEASE", "CLIENT", "HOSTNAME", "EDITION", "POOL", "ISSUED", "EXPIRES"});
  for (const auto& l : page->leases) {
    std::string edition(protocol::to_string(l.granted_edition));
    if (l.granted_edition != l.requested_edition)
      edition += " (for " + std::string(protocol::to_string(l.requested_edition)) + ")";
    table.add_row({l.id, l.client_id, l.hostname.value_or("-"), edition, l.pool_id,
                   format_time(l.issued_at), format_relative(l.ttl_seconds)});
  }
  table.write(o.out);
  o.out << page->leases.size() << " of " << page->total << " leases";
  if (page->next)
    o.out << " (more: narrow the filters or raise --limit)";
  o.out << '\n';
  return exit_code::done;
}

exit_code run_lease_revoke(const lease_revoke_command& command, admin_api& api, const output& o) {
  auto revoked = api.revoke_lease(command.id);
  if (!revoked.is_ok())
    return report_failure(revoked.error(), api, o);
  if (o.json)
    print_json(o.out, {{"revoked", command.id}});
  else
    o.out << "revoked lease " << printable(command.id) << '\n';
  return exit_code::done;
}

}  // namespace vgls::ctl
