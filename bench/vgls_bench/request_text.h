// The HTTP/1.1 requests of the load generator, written out whole so that sending one is a single
// write. Keep-alive is HTTP/1.1's default, so no Connection header unless closing.
#pragma once

#include <string>
#include <string_view>

namespace vgls::bench {

// POST /v1/leases for `client_id` and `edition`, as an agent would send it.
std::string checkout_request(std::string_view host, std::string_view client_id,
                             std::string_view edition, bool close = false);

// POST /v1/leases/{id}/renew with an empty JSON object.
std::string renew_request(std::string_view host, std::string_view lease_id);

// DELETE /v1/leases/{id}.
std::string release_request(std::string_view host, std::string_view lease_id);

}  // namespace vgls::bench
