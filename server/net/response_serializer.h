// The bytes of an HTTP/1.x answer, written into a buffer the connection reuses from one request
// to the next, so that answering costs no allocation once the buffer has grown to its working size.
//
// The output is byte for byte what Beast's serializer wrote for the message the connection used
// to build (status, Content-Type, the extra headers, keep_alive(), prepare_payload()): status line
// with Beast's reason phrase; Content-Type when set; the extra headers in order, a repeated name
// keeping only its last value (Beast's `set`), values trimmed of spaces and tabs; the Connection
// header keep_alive() would add for that version (HTTP/1.1 closing: `close`; HTTP/1.0 staying
// open: `keep-alive`); Content-Length, also 0 for a 204. The extra headers never carry framing
// (Connection, Content-Length, Transfer-Encoding): framing is the connection's alone.
//
// Plain functions, no state: safe from any thread.
#pragma once

#include <string>

#include "server/http/http_types.h"

namespace vgls::server {

// Replaces `out` with the answer's head and body. `version` is the request's (11 for HTTP/1.1).
// Throws std::invalid_argument, as Beast's prepare_payload did, for a body on a 1xx, 204 or 304.
void serialize_response(const outgoing_response& answer, unsigned version, bool keep_alive,
                        std::string& out);

// Replaces `out` with the interim `100 Continue` answer, which has no headers.
void serialize_continue(unsigned version, std::string& out);

}  // namespace vgls::server
