// The most recent events for the status page. The store pages events forward from an id only
// (SPEC /v1/events); its facts name the newest id, so the tail is read from a little before it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <vector>

#include "protocol/event.h"
#include "protocol/status.h"
#include "storage/store.h"

namespace vgls::server {

// Up to `count` of the events with ids up to `last_event_id`, newest first. Runs on the caller's
// executor.
boost::asio::awaitable<protocol::result<std::vector<protocol::event>>> latest_events(
    storage::store& store, std::int64_t last_event_id, int count);

}  // namespace vgls::server
