// Splits a request target ("/v1/leases?limit=5&pool=a") into its path and percent-decoded query
// parameters (Boost.URL). Pure, thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "protocol/query_codec.h"

namespace vgls::server {

struct request_target {
  std::string_view path;  // still percent-encoded; points into the input (or is a literal "/")
  protocol::query_params query;
  bool query_malformed = false;  // e.g. "%zz": the path is still usable, the query is not
};

// Origin-form ("/v1/leases?x") or absolute-form ("http://host/v1/leases?x", RFC 9112 §3.2.2,
// the authority ignored); nullopt for anything else ("*", "host:443", "").
std::optional<request_target> parse_request_target(std::string_view target);

}  // namespace vgls::server
