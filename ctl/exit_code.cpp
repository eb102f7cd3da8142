#include "ctl/exit_code.h"

namespace vgls::ctl {

exit_code exit_code_for(const protocol::status& refusal) {
  if (refusal.is_ok())
    return exit_code::done;
  if (refusal.code() == protocol::error_code::unauthorized)
    return exit_code::unauthorized;
  return exit_code::refused;
}

}  // namespace vgls::ctl
