// `vgls-agent checkout` and `vgls-agent release`: one attempt at each server in order, for
// scripts and for trying a configuration by hand. The outcome goes to `out` (text, or JSON with
// `json`), problems to `err`. The return value is the exit code of agent/exit_codes.h.
// Not synchronised.
#pragma once

#include <iosfwd>

#include "agent/agent_settings.h"

namespace vgls::agent {

// Checks out (or, by the server's rule, gets back this client's existing lease) and records it
// in the state dir.
int check_out_once(const agent_settings& settings, bool json, std::ostream& out, std::ostream& err);

// Releases the lease recorded in the state dir and clears it; 0 also when there was none.
int release_once(const agent_settings& settings, bool json, std::ostream& out, std::ostream& err);

}  // namespace vgls::agent
