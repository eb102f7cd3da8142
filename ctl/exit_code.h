// vglsctl's exit codes (SPEC §5), so that a script can tell what failed without parsing text, and
// the one mapping from a failed call to its code. Documented in docs/admin.md.
#pragma once

#include "client/call_result.h"
#include "protocol/status.h"

namespace vgls::ctl {

enum class exit_code : int {
  done = 0,          // the command did what it was asked
  refused = 1,       // the server answered with an error (its code and message are printed)
  bad_usage = 2,     // the command line is wrong; nothing was sent
  unreachable = 3,   // no answer: connection refused, timeout, TLS failure, broken exchange
  unauthorized = 4,  // the server answered 401: the token is missing or wrong
};

// The code for a server's error answer: unauthorized → 4, every other error → 1.
exit_code exit_code_for(const protocol::status& refusal);
// The code for a failed call: unreachable → 3, otherwise as its status (an unreadable answer,
// internal_error, → 1).
exit_code exit_code_for(const client::call_failure& failure);

inline int to_int(exit_code code) {
  return static_cast<int>(code);
}

}  // namespace vgls::ctl
