// One function per vglsctl command (SPEC §5). Each sends its requests through `admin_api`, writes
// results to `out` (a table for people, JSON with --json) and failures to `err`, and returns the
// exit code. Output formats are described in docs/admin.md.
#pragma once

#include <ostream>

#include "ctl/admin_api.h"
#include "ctl/command_line.h"
#include "ctl/exit_code.h"

namespace vgls::ctl {

struct output {
  std::ostream& out;
  std::ostream& err;
  bool json = false;
  // Appended to the error line of a 401 (see invocation::unauthorized_hint).
  std::string unauthorized_hint;
};

exit_code run_status(admin_api& api, const output& o);
exit_code run_pool_list(admin_api& api, const output& o);
exit_code run_pool_add(const pool_add_command& command, admin_api& api, const output& o);
exit_code run_pool_set(const pool_set_command& command, admin_api& api, const output& o);
exit_code run_pool_rm(const pool_rm_command& command, admin_api& api, const output& o);
exit_code run_lease_list(const lease_list_command& command, admin_api& api, const output& o);
exit_code run_lease_revoke(const lease_revoke_command& command, admin_api& api, const output& o);
// With --follow this returns only when the server stops answering.
exit_code run_events(const events_command& command, admin_api& api, const output& o);
exit_code run_usage(const usage_command& command, admin_api& api, const output& o);
exit_code run_key_list(admin_api& api, const output& o);
exit_code run_key_rotate(admin_api& api, const output& o);
exit_code run_token_add(const token_add_command& command, admin_api& api, const output& o);
exit_code run_token_list(admin_api& api, const output& o);
exit_code run_token_rm(const token_rm_command& command, admin_api& api, const output& o);

// Prints "error: …" for a failed call and returns its exit code.
exit_code report_failure(const call_failure& failure, const admin_api& api, const output& o);

}  // namespace vgls::ctl
