// Named access tokens (SPEC §9): POST /v1/tokens (admin), GET /v1/tokens (viewer),
// DELETE /v1/tokens/{name} (admin). Only the SHA-256 of a secret is stored; the secret is in the
// answer that made it and nowhere else.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/services.h"
#include "server/http/http_types.h"

namespace vgls::server {

boost::asio::awaitable<outgoing_response> handle_create_token(const request_context& context,
                                                              services& deps);
boost::asio::awaitable<outgoing_response> handle_list_tokens(const request_context& context,
                                                             services& deps);
boost::asio::awaitable<outgoing_response> handle_delete_token(const request_context& context,
                                                              services& deps);

}  // namespace vgls::server
