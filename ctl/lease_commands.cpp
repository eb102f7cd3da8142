// vglsctl lease list | revoke.
#include "ctl/commands.h"
#include "ctl/human_format.h"
#include "ctl/views.h"
#include "protocol/answer_codec.h"

namespace vgls::ctl {

namespace {

text_table lease_table() {
  return text_table({"LEASE", "CLIENT", "HOSTNAME", "EDITION", "POOL", "ISSUED", "EXPIRES"});
}

void add_lease_row(text_table& table, const protocol::lease& l) {
  std::string edition(protocol::to_string(l.granted_edition));
  if (l.granted_edition != l.requested_edition)
    edition += " (for " + std::string(protocol::to_string(l.requested_edition)) + ")";
  table.add_row({l.id, l.client_id, l.hostname.value_or("-"), edition, l.pool_id,
                 format_time(l.issued_at), format_relative(l.ttl_seconds)});
}

// One page, as the server answered it; the footer names the cursor of the next page.
exit_code print_page(const protocol::lease_page& page, const output& o) {
  if (o.json) {
    nlohmann::json leases = nlohmann::json::array();
    for (const auto& l : page.leases)
      leases.push_back(protocol::to_json(l));
    print_json(o.out, {{"leases", leases},
                       {"next", page.next ? nlohmann::json(*page.next) : nlohmann::json()},
                       {"total", page.total}});
    return exit_code::done;
  }
  text_table table = lease_table();
  for (const auto& l : page.leases)
    add_lease_row(table, l);
  table.write(o.out);
  o.out << page.leases.size() << " of " << page.total << " leases";
  if (page.next)
    o.out << " (more: --after " << printable(*page.next) << ", or --all for every page)";
  o.out << '\n';
  return exit_code::done;
}

// Every page from `query.after` on, printed as each arrives, so that memory holds one page
// however many leases there are. JSON keeps the shape of one page: {"leases", "next": null,
// "total"}, `total` being the number of leases printed.
exit_code print_every_page(protocol::lease_query query, admin_api& api, const output& o) {
  text_table table = lease_table();
  std::int64_t printed = 0;
  if (o.json)
    o.out << "{\n  \"leases\": [";
  for (;;) {
    auto page = api.list_leases(query);
    if (!page.is_ok()) {
      o.out.flush();
      return report_failure(page.error(), api, o);
    }
    for (const auto& l : page->leases) {
      if (o.json) {
        std::string text =
            protocol::to_json(l).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
        for (std::size_t at = text.find('\n'); at != std::string::npos;
             at = text.find('\n', at + 1)) {
          text.replace(at, 1, "\n    ");
        }
        o.out << (printed == 0 ? "\n    " : ",\n    ") << text;
      } else {
        add_lease_row(table, l);
      }
      ++printed;
    }
    if (!o.json)
      table.write_rows(o.out);
    o.out.flush();
    // A page that names a next cursor but holds nothing would loop; the server never sends one.
    if (!page->next || page->leases.empty())
      break;
    query.after = page->next;
  }
  if (o.json) {
    o.out << (printed == 0 ? "]" : "\n  ]") << ",\n  \"next\": null,\n  \"total\": " << printed
          << "\n}\n";
  } else {
    o.out << printed << " leases\n";
  }
  return exit_code::done;
}

}  // namespace

exit_code run_lease_list(const lease_list_command& command, admin_api& api, const output& o) {
  protocol::lease_query query;
  query.pool_id = command.pool;
  query.edition = command.edition;
  query.client_id = command.client;
  query.hostname_prefix = command.hostname;
  query.limit = command.limit;
  query.after = command.after;
  if (command.all)
    return print_every_page(std::move(query), api, o);
  auto page = api.list_leases(query);
  if (!page.is_ok())
    return report_failure(page.error(), api, o);
  return print_page(*page, o);
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
