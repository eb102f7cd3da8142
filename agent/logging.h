// The agent's log: stderr, which systemd sends to the journal. Under the journal (JOURNAL_STREAM
// set) each line starts with its syslog priority ("<3>"), which journald turns into the entry's
// priority, so `journalctl -u vgls-agent -p err` shows what needs an administrator; and no time
// stamp, since the journal adds its own. Call once, before logging.
#pragma once

#include <string>

namespace vgls::agent {

// `level`: trace, debug, info, warn or error.
void set_up_logging(const std::string& level);

}  // namespace vgls::agent
