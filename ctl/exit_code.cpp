#include "ctl/exit_code.h"

namespace vgls::ctl {

exit_code exit_code_for(const protocol::status& refusal) {
  if (refusal.is_ok())
    return exit_code::done;
  // A token without the role (403 forbidden) is a credentials problem too.
  if (refusal.code() == protocol::error_code::unauthorized ||
      refusal.code() == protocol::error_code::forbidden)
    return exit_code::unauthorized;
  return exit_code::refused;
}

exit_code exit_code_for(const client::call_failure& failure) {
  if (!failure.reached())
    return exit_code::unreachable;
  return exit_code_for(failure.status);
}

}  // namespace vgls::ctl
