// Answer bodies ↔ JSON (SPEC §2). Encoders are what the server writes; decoders are what the
// agent, vglsctl and tests read, and never throw.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/event.h"
#include "protocol/lease.h"
#include "protocol/pool.h"
#include "protocol/requests.h"
#include "protocol/server_info.h"
#include "protocol/status.h"
#include "protocol/usage.h"

namespace vgls::protocol {

// The bare objects; absent optional fields are written as null, labels as {}.
nlohmann::json to_json(const lease& l);
nlohmann::json to_json(const pool_view& p);
nlohmann::json to_json(const event& e);
nlohmann::json to_json(const usage_bucket& b);
nlohmann::json to_json(const server_info& s);

// Whole answer bodies.
std::string encode_lease_answer(const lease& l);                       // {"lease": …}
std::string encode_pool_answer(const pool_view& p);                    // {"pool": …}
std::string encode_pools_answer(const std::vector<pool_view>& pools);  // {"pools": […]}
std::string encode_lease_page(const lease_page& page);                 // {"leases","next","total"}
std::string encode_events_answer(const event_page& page);              // {"events","next"}
std::string encode_usage_answer(const std::vector<usage_bucket>& buckets);  // {"buckets"}
std::string encode_server_answer(const server_info& s);
// {"error": {"code","message","field"?}}; `field` only when the status names one.
std::string encode_error(const status& s);

result<lease> decode_lease(const nlohmann::json& j);
result<pool_view> decode_pool_view(const nlohmann::json& j);
result<event> decode_event(const nlohmann::json& j);
result<usage_bucket> decode_usage_bucket(const nlohmann::json& j);
result<server_info> decode_server_info(const nlohmann::json& j);

result<lease> decode_lease_answer(std::string_view body);
result<pool_view> decode_pool_answer(std::string_view body);
result<std::vector<pool_view>> decode_pools_answer(std::string_view body);
result<lease_page> decode_lease_page(std::string_view body);
result<event_page> decode_events_answer(std::string_view body);
result<std::vector<usage_bucket>> decode_usage_answer(std::string_view body);
result<server_info> decode_server_answer(std::string_view body);

// The status an error answer carries. When the body is not a SPEC error body, a status built from
// the HTTP status alone (e.g. 503 → unavailable) with the body's first bytes as its message.
status decode_error(int http_status, std::string_view body);

}  // namespace vgls::protocol
