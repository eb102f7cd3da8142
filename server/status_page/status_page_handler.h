// GET /: the status page (SPEC §5), rendered by the server. Auth is checked before this is called
// (Basic or Bearer with the admin token, unless server.status_page_public).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/services.h"
#include "server/http/http_types.h"

namespace vgls::server {

// Gathers what the page shows from the store and answers 200 text/html; 503 when storage fails.
boost::asio::awaitable<outgoing_response> handle_status_page(const request_context& context,
                                                             services& deps);

}  // namespace vgls::server
