// Named access tokens on the wire (SPEC §9): POST /v1/tokens `{"name","role"}` → 201
// `{"token": {"name","role","created_at","secret"}}` (the secret this once), GET /v1/tokens
// `{"tokens": [{"name","role","created_at","last_used_at"}]}`. Decoders never throw. Pure
// functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/role.h"
#include "protocol/status.h"
#include "protocol/time.h"

namespace vgls::protocol {

struct token_create_request {
  std::string name;  // a pool-id-like slug
  protocol::role role = protocol::role::viewer;
};

struct token_info {
  std::string name;
  protocol::role role = protocol::role::viewer;
  unix_seconds created_at = 0;
  std::optional<unix_seconds> last_used_at;
  std::optional<std::string> secret;  // only in the answer that made it
};

// Errors name the field: `name` (must match [a-z0-9][a-z0-9._-]{0,62}), `role`.
result<token_create_request> decode_token_create_request(std::string_view body);
std::string encode(const token_create_request& request);

// {"token": {"name","role","created_at","secret"}}
std::string encode_token_answer(const token_info& token);
// {"tokens": [{"name","role","created_at","last_used_at"}]}
std::string encode_tokens_answer(const std::vector<token_info>& tokens);
result<token_info> decode_token_answer(std::string_view body);
result<std::vector<token_info>> decode_tokens_answer(std::string_view body);

}  // namespace vgls::protocol
