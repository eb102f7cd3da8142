// The wire shape of a lease (SPEC §2 `{"lease": …}`), defined once: the list of its members in
// lease_wire.cpp is walked by the JSON writer (listings), the direct text writer (the hot path:
// check out, renew) and the reader (agent, vglsctl, tests), so the three cannot drift apart.
// Pure functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "protocol/lease.h"
#include "protocol/status.h"

namespace vgls::protocol {

// The lease object; absent optional fields are written as null, labels as {}, and
// `client_clock_skew_seconds` and `token` are left out when absent.
nlohmann::json lease_to_json(const lease& l);
// Appends the same text as json_fields::dump(lease_to_json(l)), without building a JSON value.
void append_lease_json(std::string& out, const lease& l);
// The inverse; never throws. A malformed lease is internal_error ("malformed answer: …").
result<lease> lease_from_json(const nlohmann::json& j);

}  // namespace vgls::protocol
