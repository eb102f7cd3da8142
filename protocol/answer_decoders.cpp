#include "protocol/answer_codec.h"
#include "protocol/answer_reader.h"
#include "protocol/json_body.h"
#include "protocol/json_fields.h"
#include "protocol/lease_wire.h"

namespace vgls::protocol {
namespace {

using nlohmann::json;
namespace jf = json_fields;

// The array member `key` of an answer body's object, decoded element by element.
template <class T, class F>
result<std::vector<T>> decode_array(const json& body, std::string_view key, F&& decode_one) {
  const json* items = jf::member(body, key);
  if (items == nullptr || !items->is_array()) {
    return status::internal("malformed answer: " + std::string(key) + " must be an array");
  }
  std::vector<T> out;
  out.reserve(items->size());
  for (const auto& item : *items) {
    auto one = decode_one(item);
    if (!one) {
      return one.error();
    }
    out.push_back(std::move(*one));
  }
  return out;
}

// Parses an answer body and hands its object to `decode`; never throws.
template <class T, class F>
result<T> decode_body(std::string_view body, F&& decode) {
  auto object = parse_json_object(body);
  if (!object) {
    return status::internal("malformed answer: " + object.error().message());
  }
  try {
    return decode(*object);
  } catch (const std::exception& e) {
    return status::internal(std::string("malformed answer: ") + e.what());
  }
}

// The member `key` of a body, which must be an object.
template <class T, class F>
result<T> decode_wrapped(std::string_view body, std::string_view key, F&& decode_one) {
  return decode_body<T>(body, [&](const json& o) -> result<T> {
    const json* inner = jf::member(o, key);
    if (inner == nullptr) {
      return status::internal("malformed answer: " + std::string(key) + " missing");
    }
    return decode_one(*inner);
  });
}

error_code code_for_http_status(int http) {
  switch (http) {
    case 400:
      return error_code::invalid_request;
    case 401:
    case 403:  // without a SPEC body, a refusal by something in front of the server
      return error_code::unauthorized;
    case 404:
      return error_code::not_found;
    case 405:
      return error_code::method_not_allowed;
    case 413:
      return error_code::payload_too_large;
    case 415:
      return error_code::unsupported_media_type;
    case 429:
      return error_code::rate_limited;
    case 502:
    case 503:
    case 504:
      return error_code::unavailable;
    default:
      return http >= 400 && http < 500 ? error_code::invalid_request : error_code::internal_error;
  }
}

}  // namespace

result<lease> decode_lease(const json& j) {
  return lease_from_json(j);
}

result<pool_view> decode_pool_view(const json& j) {
  answer_reader r(j);
  pool_view v;
  v.pool.id = r.text("id");
  v.pool.edition = r.edition("edition");
  v.pool.seats = r.integer("seats");
  v.used = r.integer("used");
  const std::string kind = r.text("kind");
  const std::string state = r.text("state");
  v.pool.starts_at = r.time("starts_at");
  v.pool.expires_at = r.optional_time("expires_at");
  v.days_left = r.optional_integer("days_left");
  if (r.ok()) {
    if (auto k = parse_pool_kind(kind)) {
      v.pool.kind = *k;
    } else {
      r.fail(status::invalid("kind", "kind: unknown"));
    }
    bool known_state = false;
    for (pool_state s : {pool_state::active, pool_state::expired, pool_state::not_started}) {
      if (to_string(s) == state) {
        v.state = s;
        known_state = true;
      }
    }
    if (!known_state) {
      r.fail(status::invalid("state", "state: unknown"));
    }
  }
  if (!r.ok()) {
    return r.error();
  }
  return v;
}

result<event> decode_event(const json& j) {
  answer_reader r(j);
  event e;
  e.id = r.integer("id");
  e.at = r.time("at");
  e.type = r.text("type");
  e.pool_id = r.optional_text("pool_id");
  e.lease_id = r.optional_text("lease_id");
  e.client_id = r.optional_text("client_id");
  e.edition = r.optional_edition("edition");
  if (const json* detail = r.member("detail")) {
    e.detail = *detail;
  }
  if (!r.ok()) {
    return r.error();
  }
  return e;
}

result<usage_bucket> decode_usage_bucket(const json& j) {
  answer_reader r(j);
  usage_bucket b;
  b.start = r.time("start");
  b.edition = r.edition("edition");
  b.peak_used = r.integer("peak_used");
  b.seats = r.integer("seats");
  b.granted = r.integer("granted");
  b.denied = r.integer("denied");
  if (!r.ok()) {
    return r.error();
  }
  return b;
}

result<server_info> decode_server_info(const json& j) {
  answer_reader r(j);
  server_info s;
  s.version = r.text("version");
  s.uptime_seconds = r.integer("uptime_seconds");
  s.storage_backend = r.text("storage_backend");
  s.time = r.time("time");
  s.clock_high_water = r.time("clock_high_water");
  s.clock_rollback = r.boolean("clock_rollback");
  s.leases_active = r.integer("leases_active");
  s.pools = r.integer("pools");
  if (!r.ok()) {
    return r.error();
  }
  // The node object came with PostgreSQL; a server without it is a single node.
  if (const json* node = jf::member(j, "node"); node != nullptr && node->is_object()) {
    answer_reader n(*node);
    s.node_role = n.optional_text("role").value_or("single");
    s.advertise_url = n.optional_text("advertise_url");
    s.active_since = n.optional_time("active_since");
    if (!n.ok()) {
      return n.error();
    }
  }
  return s;
}

result<lease> decode_lease_answer(std::string_view body) {
  return decode_wrapped<lease>(body, "lease", [](const json& j) { return decode_lease(j); });
}

result<pool_view> decode_pool_answer(std::string_view body) {
  return decode_wrapped<pool_view>(body, "pool", [](const json& j) { return decode_pool_view(j); });
}

result<std::vector<pool_view>> decode_pools_answer(std::string_view body) {
  return decode_body<std::vector<pool_view>>(body, [](const json& o) {
    return decode_array<pool_view>(o, "pools", [](const json& j) { return decode_pool_view(j); });
  });
}

result<lease_page> decode_lease_page(std::string_view body) {
  return decode_body<lease_page>(body, [](const json& o) -> result<lease_page> {
    auto leases = decode_array<lease>(o, "leases", [](const json& j) { return decode_lease(j); });
    if (!leases) {
      return leases.error();
    }
    answer_reader r(o);
    lease_page page;
    page.leases = std::move(*leases);
    page.next = r.optional_text("next");
    page.total = r.integer("total");
    if (!r.ok()) {
      return r.error();
    }
    return page;
  });
}

result<event_page> decode_events_answer(std::string_view body) {
  return decode_body<event_page>(body, [](const json& o) -> result<event_page> {
    auto events = decode_array<event>(o, "events", [](const json& j) { return decode_event(j); });
    if (!events) {
      return events.error();
    }
    answer_reader r(o);
    event_page page;
    page.events = std::move(*events);
    page.next = r.optional_integer("next");
    if (!r.ok()) {
      return r.error();
    }
    return page;
  });
}

result<std::vector<usage_bucket>> decode_usage_answer(std::string_view body) {
  return decode_body<std::vector<usage_bucket>>(body, [](const json& o) {
    return decode_array<usage_bucket>(o, "buckets",
                                      [](const json& j) { return decode_usage_bucket(j); });
  });
}

result<server_info> decode_server_answer(std::string_view body) {
  return decode_body<server_info>(body, [](const json& o) { return decode_server_info(o); });
}

status decode_error(int http_status, std::string_view body) {
  auto object = parse_json_object(body);
  if (object) {
    const json* error = jf::member(*object, "error");
    if (error != nullptr && error->is_object()) {
      auto code_text = jf::optional_string(*error, "code");
      auto message = jf::optional_string(*error, "message");
      auto field = jf::optional_string(*error, "field");
      if (code_text && code_text->has_value()) {
        const auto code = error_code_from_string(**code_text);
        if (code && *code != error_code::ok) {
          return status::error(*code, message ? message->value_or("") : "",
                               field ? field->value_or("") : "");
        }
      }
    }
  }
  constexpr std::size_t max_echo = 200;
  std::string message = "HTTP " + std::to_string(http_status);
  if (!body.empty()) {
    message += ": ";
    message += body.substr(0, max_echo);
  }
  return status::error(code_for_http_status(http_status), std::move(message));
}

}  // namespace vgls::protocol
