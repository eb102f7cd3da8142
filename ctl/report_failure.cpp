// How every command reports a failed call: one "error: …" line on stderr, and the exit code.
#include "ctl/commands.h"
#include "ctl/text_table.h"

namespace vgls::ctl {

exit_code report_failure(const call_error& error, const admin_api& api, const output& o) {
  // Server messages can quote what clients sent; keep control characters off the terminal.
  o.err << printable(error.to_string(api.server_text()));
  if (error.code() == exit_code::unauthorized && !o.unauthorized_hint.empty())
    o.err << " (" << o.unauthorized_hint << ")";
  o.err << '\n';
  return error.code();
}

}  // namespace vgls::ctl
