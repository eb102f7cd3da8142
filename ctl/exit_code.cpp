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

}  // namespace vgls::ctl
