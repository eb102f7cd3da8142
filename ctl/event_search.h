// Finding where to start reading the event log. GET /v1/events only pages forward from an id, but
// admins ask for "the latest events" or "events since 2 h ago"; reading a year of history from id 0
// to find them would be slow. Event ids only grow and events are written in time order, so both
// starting points are found by binary searches over `after` with small probes: O(log n) requests.
// Not thread-safe (it uses the api's connection).
#pragma once

#include <cstdint>

#include "ctl/admin_api.h"
#include "protocol/time.h"

namespace vgls::ctl {

// The highest event id there is (0 when there are no events). `type` narrows to one event type.
call_result<std::int64_t> last_event_id(admin_api& api, const std::optional<std::string>& type);

// An `after` cursor followed by exactly the latest `count` events (0 when there are no more than
// `count`). With `type`, the latest `count` events of that type, however far back they are.
call_result<std::int64_t> cursor_for_latest(admin_api& api, int count,
                                            const std::optional<std::string>& type);

// An `after` cursor from which the events are those at or after `since` (0 when every event is).
call_result<std::int64_t> cursor_since(admin_api& api, protocol::unix_seconds since,
                                       const std::optional<std::string>& type);

}  // namespace vgls::ctl
