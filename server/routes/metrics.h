// GET /metrics: the Prometheus text format (metrics/metrics.h).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/services.h"
#include "server/http/http_types.h"

namespace vgls::server {

boost::asio::awaitable<outgoing_response> handle_metrics(const request_context& context,
                                                         services& deps);

}  // namespace vgls::server
