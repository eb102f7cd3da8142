// GET /v1/server (admin): facts about the running server.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/services.h"
#include "server/http/http_types.h"

namespace vgls::server {

// 200 {"version", "uptime_seconds", …}.
boost::asio::awaitable<outgoing_response> handle_server_info(const request_context& context,
                                                             services& deps);

}  // namespace vgls::server
