// An event as a sentence an operator reads at a glance ("lease lse_1a2b3c… of client vm-17
// granted from pool lab-vws (vWS)", "pool lab-vws changed by admin: seats 10 → 20"), for the
// status page's event list. Types the page does not know, and details it does not expect, fall
// back to compact key=value pairs, so nothing recorded is hidden. The result is plain text, not
// yet HTML-escaped. Pure function.
#pragma once

#include <string>

#include "protocol/event.h"

namespace vgls::server {

std::string describe_event(const protocol::event& event);

// The detail as "key=value key2=value2" (nested objects as compact JSON), sorted by key.
std::string detail_pairs(const nlohmann::json& detail);

}  // namespace vgls::server
