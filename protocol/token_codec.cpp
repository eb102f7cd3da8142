#include "protocol/token_codec.h"

#include <nlohmann/json.hpp>

#include "protocol/answer_reader.h"
#include "protocol/json_body.h"
#include "protocol/json_fields.h"
#include "protocol/validation.h"

namespace vgls::protocol {
namespace {

using nlohmann::json;
namespace jf = json_fields;

json to_json(const token_info& t, bool with_secret) {
  json out = {{"name", t.name},
              {"role", std::string(to_string(t.role))},
              {"created_at", format_rfc3339(t.created_at)}};
  if (with_secret) {
    out["secret"] = t.secret.value_or("");
  } else {
    out["last_used_at"] = t.last_used_at ? json(format_rfc3339(*t.last_used_at)) : json(nullptr);
  }
  return out;
}

result<token_info> from_json(const json& j) {
  answer_reader r(j);
  token_info t;
  t.name = r.text("name");
  const std::string role_text = r.text("role");
  t.created_at = r.time("created_at");
  t.last_used_at = r.optional_time("last_used_at");
  t.secret = r.optional_text("secret");
  if (!r.ok())
    return r.error();
  const auto role = parse_role(role_text);
  if (!role)
    return status::internal("malformed answer: role: unknown");
  t.role = *role;
  return t;
}

}  // namespace

result<token_create_request> decode_token_create_request(std::string_view body) {
  auto object = parse_json_object(body);
  if (!object)
    return object.error();
  auto name = jf::required_string(*object, "name");
  if (!name)
    return name.error();
  if (!is_valid_pool_id(*name))
    return status::invalid("name", "name: must match [a-z0-9][a-z0-9._-]{0,62}");
  auto role_text = jf::required_string(*object, "role");
  if (!role_text)
    return role_text.error();
  const auto role = parse_role(*role_text);
  if (!role)
    return status::invalid("role", "role: must be one of viewer, operator, admin");
  return token_create_request{std::move(*name), *role};
}

std::string encode(const token_create_request& request) {
  return jf::dump({{"name", request.name}, {"role", std::string(to_string(request.role))}});
}

std::string encode_token_answer(const token_info& token) {
  return jf::dump({{"token", to_json(token, true)}});
}

std::string encode_tokens_answer(const std::vector<token_info>& tokens) {
  json items = json::array();
  for (const auto& t : tokens)
    items.push_back(to_json(t, false));
  return jf::dump({{"tokens", std::move(items)}});
}

result<token_info> decode_token_answer(std::string_view body) {
  auto object = parse_json_object(body);
  if (!object)
    return status::internal("malformed answer: " + object.error().message());
  const json* inner = jf::member(*object, "token");
  if (inner == nullptr)
    return status::internal("malformed answer: token missing");
  return from_json(*inner);
}

result<std::vector<token_info>> decode_tokens_answer(std::string_view body) {
  auto object = parse_json_object(body);
  if (!object)
    return status::internal("malformed answer: " + object.error().message());
  const json* items = jf::member(*object, "tokens");
  if (items == nullptr || !items->is_array())
    return status::internal("malformed answer: tokens must be an array");
  std::vector<token_info> out;
  for (const auto& item : *items) {
    auto one = from_json(item);
    if (!one)
      return one.error();
    out.push_back(std::move(*one));
  }
  return out;
}

}  // namespace vgls::protocol
