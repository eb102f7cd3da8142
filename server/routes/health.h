// GET /healthz: 200 {"status":"ok"} when storage answers, 503 otherwise. No auth.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/services.h"
#include "server/http/http_types.h"

namespace vgls::server {

boost::asio::awaitable<outgoing_response> handle_health(const request_context& context,
                                                        services& deps);

}  // namespace vgls::server
