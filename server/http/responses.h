// Building answers: JSON bodies, SPEC error bodies (with the headers some codes require), and the
// empty 204. The HTTP status of an error comes from protocol::http_status, the one such mapping.
#pragma once

#include <string>

#include "protocol/status.h"
#include "server/http/http_types.h"

namespace vgls::server {

outgoing_response json_response(int status, std::string body);
outgoing_response no_content();

// {"error": …} with the status its code maps to. 503 answers carry Retry-After; 401 answers carry
// WWW-Authenticate with the given challenge (Bearer by default); 405 answers need an Allow header,
// which the caller adds.
outgoing_response error_response(const protocol::status& error,
                                 std::string_view challenge = "Bearer realm=\"vgls\"");

}  // namespace vgls::server

namespace vgls::server {

// The answer for an operation that failed with `error`. Internal errors and storage outages are
// also logged with the request id, so an operator can match a client's report to the log.
outgoing_response failure(const request_context& context, const protocol::status& error);

}  // namespace vgls::server
