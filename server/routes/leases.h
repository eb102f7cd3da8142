// Lease routes (SPEC §2): check out, renew, release or revoke, read one, and the admin listing.
// Each handler validates its input before touching the store; bad input changes nothing.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/services.h"
#include "server/http/http_types.h"

namespace vgls::server {

// POST /v1/leases → 201 new lease, 200 existing lease renewed (rule 4).
boost::asio::awaitable<outgoing_response> handle_checkout(const request_context& context,
                                                          services& deps);
// POST /v1/leases/{id}/renew → 200.
boost::asio::awaitable<outgoing_response> handle_renew(const request_context& context,
                                                       services& deps);
// DELETE /v1/leases/{id} → 204; a revoke when the caller presented an operator or admin token.
boost::asio::awaitable<outgoing_response> handle_release(const request_context& context,
                                                         services& deps);
// GET /v1/leases/{id} → 200.
boost::asio::awaitable<outgoing_response> handle_get_lease(const request_context& context,
                                                           services& deps);
// GET /v1/leases (admin) → 200 with a page of active leases.
boost::asio::awaitable<outgoing_response> handle_list_leases(const request_context& context,
                                                             services& deps);

}  // namespace vgls::server
