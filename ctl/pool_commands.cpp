// vglsctl pool list | add | set | rm.
#include "ctl/commands.h"
#include "ctl/views.h"
#include "protocol/answer_codec.h"

namespace vgls::ctl {
namespace {

exit_code print_pool(const protocol::pool_view& view, const output& o) {
  if (o.json)
    print_json(o.out, {{"pool", protocol::to_json(view)}});
  else
    pool_table({view}).write(o.out);
  return exit_code::done;
}

}  // namespace

exit_code run_pool_list(admin_api& api, const output& o) {
  auto pools = api.list_pools();
  if (!pools.is_ok())
    return report_failure(pools.error(), api, o);
  if (o.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& view : *pools)
      list.push_back(protocol::to_json(view));
    print_json(o.out, {{"pools", list}});
  } else {
    pool_table(*pools).write(o.out);
  }
  return exit_code::done;
}

exit_code run_pool_add(const pool_add_command& command, admin_api& api, const output& o) {
  protocol::pool_create_request request;
  request.id = command.id;
  request.edition = command.edition;
  request.seats = command.seats;
  request.kind = command.kind;
  request.days = command.days;
  request.expires_at = command.expires_at;
  request.starts_at = command.starts_at;
  auto created = api.create_pool(request);
  if (!created.is_ok())
    return report_failure(created.error(), api, o);
  return print_pool(*created, o);
}

exit_code run_pool_set(const pool_set_command& command, admin_api& api, const output& o) {
  protocol::pool_patch_request patch;
  patch.seats = command.seats;
  patch.expires_at = command.expires_at;
  patch.starts_at = command.starts_at;
  auto updated = api.update_pool(command.id, patch);
  if (!updated.is_ok())
    return report_failure(updated.error(), api, o);
  return print_pool(*updated, o);
}

exit_code run_pool_rm(const pool_rm_command& command, admin_api& api, const output& o) {
  auto removed = api.delete_pool(command.id, command.force);
  if (!removed.is_ok())
    return report_failure(removed.error(), api, o);
  if (o.json)
    print_json(o.out, {{"deleted", command.id}});
  else
    o.out << "deleted pool " << printable(command.id) << '\n';
  return exit_code::done;
}

}  // namespace vgls::ctl
