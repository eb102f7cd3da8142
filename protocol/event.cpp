#include "protocol/event.h"

namespace vgls::protocol {

bool is_event_type(std::string_view text) {
  namespace t = event_type;
  for (std::string_view known :
       {t::lease_granted, t::lease_renewed, t::lease_released, t::lease_expired, t::lease_revoked,
        t::lease_denied, t::pool_created, t::pool_updated, t::pool_deleted, t::server_started,
        t::clock_rollback, t::token_created, t::token_replaced, t::token_deleted, t::key_added}) {
    if (known == text) {
      return true;
    }
  }
  return false;
}

}  // namespace vgls::protocol
