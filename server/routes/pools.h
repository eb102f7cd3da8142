// Pool routes (SPEC §2, admin): list, create, read, change and delete pools.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/services.h"
#include "server/http/http_types.h"

namespace vgls::server {

// GET /v1/pools → 200 {"pools": […]} ordered by id.
boost::asio::awaitable<outgoing_response> handle_list_pools(const request_context& context,
                                                            services& deps);
// POST /v1/pools → 201 {"pool": …}.
boost::asio::awaitable<outgoing_response> handle_create_pool(const request_context& context,
                                                             services& deps);
// GET /v1/pools/{id} → 200 {"pool": …}.
boost::asio::awaitable<outgoing_response> handle_get_pool(const request_context& context,
                                                          services& deps);
// PATCH /v1/pools/{id} → 200 {"pool": …}.
boost::asio::awaitable<outgoing_response> handle_update_pool(const request_context& context,
                                                             services& deps);
// DELETE /v1/pools/{id}[?force=true] → 204.
boost::asio::awaitable<outgoing_response> handle_delete_pool(const request_context& context,
                                                             services& deps);

}  // namespace vgls::server
