// GET /v1/events (admin): the audit trail, ascending by id, paged by `after`.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/services.h"
#include "server/http/http_types.h"

namespace vgls::server {

// 200 {"events": […], "next": id-or-null}.
boost::asio::awaitable<outgoing_response> handle_events(const request_context& context,
                                                        services& deps);

}  // namespace vgls::server
