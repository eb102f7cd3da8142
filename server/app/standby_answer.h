// What a standby node answers (SPEC §7): 503 unavailable with Retry-After: 1 and, when the active
// node is known, `Vgls-Active-Node: <its advertise_url>`; the status page's route gets a short
// HTML page naming the active node instead of the JSON error. Pure functions.
#pragma once

#include "server/http/http_types.h"
#include "storage/store.h"

namespace vgls::server {

outgoing_response standby_answer(const storage::node_status& node, bool as_page);

// "active", "standby" or "single".
std::string_view role_name(storage::node_role role);

}  // namespace vgls::server
