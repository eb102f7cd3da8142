// GET /healthz: 200 {"status":"ok","role":...} while storage answers and can commit, 503
// otherwise (SPEC §2, §7). GET /healthz/active: the same, but 200 only on the node that serves
// writes (the active node, or a SQLite node): for load balancers and virtual IPs. No auth.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/services.h"
#include "server/http/http_types.h"

namespace vgls::server {

boost::asio::awaitable<outgoing_response> handle_health(const request_context& context,
                                                        services& deps);
boost::asio::awaitable<outgoing_response> handle_health_active(const request_context& context,
                                                               services& deps);

}  // namespace vgls::server
