// GET /v1/keys (the JWKS of SPEC §8, client-route auth) and POST /v1/keys/rotate (admin).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/services.h"
#include "server/http/http_types.h"

namespace vgls::server {

boost::asio::awaitable<outgoing_response> handle_list_keys(const request_context& context,
                                                           services& deps);
// Makes a new signing key; the old one stays published until its last token has expired. 200
// with the new JWKS, the new key first.
boost::asio::awaitable<outgoing_response> handle_rotate_key(const request_context& context,
                                                            services& deps);

}  // namespace vgls::server
