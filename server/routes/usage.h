// GET /v1/usage (admin): per bucket and edition, peak use, seats, grants and denials.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/services.h"
#include "server/http/http_types.h"

namespace vgls::server {

// 200 {"buckets": […]}; `from` and `to` default against the store's clock.
boost::asio::awaitable<outgoing_response> handle_usage(const request_context& context,
                                                       services& deps);

}  // namespace vgls::server
