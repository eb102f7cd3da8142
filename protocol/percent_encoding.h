// Percent-encoding (RFC 3986) for what clients and the status page's links put into a target.
#pragma once

#include <string>
#include <string_view>

namespace vgls::protocol {

// Encodes every byte but the unreserved characters (A-Z a-z 0-9 - . _ ~), for query values and
// path segments.
std::string percent_encode(std::string_view text);

}  // namespace vgls::protocol
