// How every command reports a failed call: one "error: …" line on stderr, and the exit code.
#include "ctl/commands.h"
#include "ctl/text_table.h"

namespace vgls::ctl {

exit_code report_failure(const call_failure& failure, const admin_api& api, const output& o) {
  const exit_code code = exit_code_for(failure);
  // Server messages can quote what clients sent; keep control characters off the terminal.
  o.err << printable(failure_line(failure, api.server_text()));
  if (code == exit_code::unauthorized && !o.unauthorized_hint.empty())
    o.err << " (" << o.unauthorized_hint << ")";
  o.err << '\n';
  return code;
}

}  // namespace vgls::ctl
