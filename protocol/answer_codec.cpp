#include "protocol/answer_codec.h"

#include <charconv>
#include <type_traits>

#include "protocol/json_fields.h"
#include "protocol/request_codec.h"
#include "protocol/validation.h"

namespace vgls::protocol {
namespace {

using nlohmann::json;
namespace jf = json_fields;

json time_or_null(const std::optional<unix_seconds>& t) {
  return t ? json(format_rfc3339(*t)) : json(nullptr);
}

json string_or_null(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}

// Reads the members of one answer object; the first failure is kept and later reads return
// defaults, so a decoder reads every field and checks once at the end.
class answer_reader {
 public:
  explicit answer_reader(const json& object) : object_(object) {
    if (!object.is_object()) {
      fail(status::invalid({}, "not a JSON object"));
    }
  }

  std::string text(std::string_view key) { return take(jf::required_string(object_, key), {}); }
  std::optional<std::string> optional_text(std::string_view key) {
    return take(jf::optional_string(object_, key), {});
  }
  std::int64_t integer(std::string_view key) { return take(jf::required_integer(object_, key), 0); }
  std::optional<std::int64_t> optional_integer(std::string_view key) {
    return take(jf::optional_integer(object_, key), {});
  }
  unix_seconds time(std::string_view key) { return take(jf::required_time(object_, key), 0); }
  std::optional<unix_seconds> optional_time(std::string_view key) {
    return take(jf::optional_time(object_, key), {});
  }
  bool boolean(std::string_view key) { return take(jf::required_bool(object_, key), false); }
  protocol::edition edition(std::string_view key) {
    return take(jf::required_edition(object_, key), protocol::edition::vapp);
  }
  std::optional<protocol::edition> optional_edition(std::string_view key) {
    return take(jf::optional_edition(object_, key), {});
  }
  const json* member(std::string_view key) { return jf::member(object_, key); }

  void fail(const status& why) {
    if (error_.is_ok()) {
      error_ = status::internal("malformed answer: " + why.message());
    }
  }
  bool ok() const { return error_.is_ok(); }
  const status& error() const { return error_; }

 private:
  template <class T>
  T take(result<T> r, std::type_identity_t<T> fallback) {
    if (!r) {
      fail(r.error());
      return fallback;
    }
    return std::move(*r);
  }

  const json& object_;
  status error_;
};

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

// Appends `s` as a JSON string exactly as nlohmann's dump (error_handler_t::replace, no ASCII
// escaping) writes it: plain printable ASCII directly, anything else through nlohmann itself.
void append_json_string(std::string& out, std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') {
      out += jf::dump(json(std::string(s)));
      return;
    }
  }
  out += '"';
  out += s;
  out += '"';
}

void append_json_integer(std::string& out, std::int64_t v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

// Appends `"key":` (keys are literals here, plain ASCII).
void append_key(std::string& out, std::string_view key, bool first = false) {
  if (!first)
    out += ',';
  out += '"';
  out += key;
  out += "\":";
}

void append_string_or_null(std::string& out, const std::optional<std::string>& s) {
  if (s)
    append_json_string(out, *s);
  else
    out += "null";
}

// The lease object, written directly: the same text as jf::dump(to_json(l)), members in
// nlohmann's (sorted) key order. Lease answers are the hot path (check out, renew).
void append_lease(std::string& out, const lease& l) {
  out += '{';
  bool first = true;
  if (l.client_clock_skew_seconds) {
    append_key(out, "client_clock_skew_seconds", true);
    append_json_integer(out, *l.client_clock_skew_seconds);
    first = false;
  }
  append_key(out, "client_id", first);
  append_json_string(out, l.client_id);
  append_key(out, "edition");
  append_json_string(out, to_string(l.granted_edition));
  append_key(out, "expires_at");
  append_json_string(out, format_rfc3339(l.expires_at));
  append_key(out, "hostname");
  append_string_or_null(out, l.hostname);
  append_key(out, "id");
  append_json_string(out, l.id);
  append_key(out, "issued_at");
  append_json_string(out, format_rfc3339(l.issued_at));
  append_key(out, "labels");
  out += '{';
  bool first_label = true;
  for (const auto& [key, value] : l.labels) {
    if (!first_label)
      out += ',';
    first_label = false;
    append_json_string(out, key);
    out += ':';
    append_json_string(out, value);
  }
  out += '}';
  append_key(out, "pool_id");
  append_json_string(out, l.pool_id);
  append_key(out, "renew_after_seconds");
  append_json_integer(out, l.renew_after_seconds);
  append_key(out, "renewed_at");
  append_json_string(out, format_rfc3339(l.renewed_at));
  append_key(out, "requested_edition");
  append_json_string(out, to_string(l.requested_edition));
  if (l.token) {
    append_key(out, "token");
    append_json_string(out, *l.token);
  }
  append_key(out, "ttl_seconds");
  append_json_integer(out, l.ttl_seconds);
  append_key(out, "vgpu_profile");
  append_string_or_null(out, l.vgpu_profile);
  out += '}';
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

json to_json(const lease& l) {
  json out = {
      {"id", l.id},
      {"client_id", l.client_id},
      {"requested_edition", std::string(to_string(l.requested_edition))},
      {"edition", std::string(to_string(l.granted_edition))},
      {"pool_id", l.pool_id},
      {"issued_at", format_rfc3339(l.issued_at)},
      {"renewed_at", format_rfc3339(l.renewed_at)},
      {"expires_at", format_rfc3339(l.expires_at)},
      {"ttl_seconds", l.ttl_seconds},
      {"renew_after_seconds", l.renew_after_seconds},
      {"hostname", string_or_null(l.hostname)},
      {"vgpu_profile", string_or_null(l.vgpu_profile)},
      {"labels", json::object()},
  };
  for (const auto& [key, value] : l.labels) {
    out["labels"][key] = value;
  }
  if (l.client_clock_skew_seconds) {
    out["client_clock_skew_seconds"] = *l.client_clock_skew_seconds;
  }
  if (l.token) {
    out["token"] = *l.token;
  }
  return out;
}

json to_json(const pool_view& p) {
  return {
      {"id", p.pool.id},
      {"edition", std::string(to_string(p.pool.edition))},
      {"seats", p.pool.seats},
      {"used", p.used},
      {"kind", std::string(to_string(p.pool.kind))},
      {"starts_at", format_rfc3339(p.pool.starts_at)},
      {"expires_at", time_or_null(p.pool.expires_at)},
      {"state", std::string(to_string(p.state))},
      {"days_left", p.days_left ? json(*p.days_left) : json(nullptr)},
  };
}

json to_json(const event& e) {
  return {
      {"id", e.id},
      {"at", format_rfc3339(e.at)},
      {"type", e.type},
      {"pool_id", string_or_null(e.pool_id)},
      {"lease_id", string_or_null(e.lease_id)},
      {"client_id", string_or_null(e.client_id)},
      {"edition", e.edition ? json(std::string(to_string(*e.edition))) : json(nullptr)},
      {"detail", e.detail},
  };
}

json to_json(const usage_bucket& b) {
  return {
      {"start", format_rfc3339(b.start)},
      {"edition", std::string(to_string(b.edition))},
      {"peak_used", b.peak_used},
      {"seats", b.seats},
      {"granted", b.granted},
      {"denied", b.denied},
  };
}

json to_json(const server_info& s) {
  return {
      {"version", s.version},
      {"uptime_seconds", s.uptime_seconds},
      {"storage_backend", s.storage_backend},
      {"time", format_rfc3339(s.time)},
      {"clock_high_water", format_rfc3339(s.clock_high_water)},
      {"clock_rollback", s.clock_rollback},
      {"leases_active", s.leases_active},
      {"pools", s.pools},
      {"node",
       {{"role", s.node_role},
        {"advertise_url", s.advertise_url ? json(*s.advertise_url) : json(nullptr)},
        {"active_since", s.active_since ? json(format_rfc3339(*s.active_since)) : json(nullptr)}}},
  };
}

std::string encode_lease_answer(const lease& l) {
  try {
    std::string out;
    out.reserve(512);
    out += "{\"lease\":";
    append_lease(out, l);
    out += '}';
    return out;
  } catch (const std::exception&) {
    // Only allocation can fail here; an empty object keeps the answer well-formed.
    return "{}";
  }
}

std::string encode_pool_answer(const pool_view& p) {
  return jf::dump({{"pool", to_json(p)}});
}

std::string encode_pools_answer(const std::vector<pool_view>& pools) {
  json items = json::array();
  for (const auto& p : pools) {
    items.push_back(to_json(p));
  }
  return jf::dump({{"pools", std::move(items)}});
}

std::string encode_lease_page(const lease_page& page) {
  json items = json::array();
  for (const auto& l : page.leases) {
    items.push_back(to_json(l));
  }
  return jf::dump(
      {{"leases", std::move(items)}, {"next", string_or_null(page.next)}, {"total", page.total}});
}

std::string encode_events_answer(const event_page& page) {
  json items = json::array();
  for (const auto& e : page.events) {
    items.push_back(to_json(e));
  }
  return jf::dump(
      {{"events", std::move(items)}, {"next", page.next ? json(*page.next) : json(nullptr)}});
}

// Written directly, with the members in the order jf::dump(to_json(b)) gives them (sorted): a
// report of all time is tens of thousands of rows, and a tree of JSON values for each costs
// many times the text.
std::string encode_usage_answer(const std::vector<usage_bucket>& buckets) {
  std::string out;
  out.reserve(16 + buckets.size() * 112);
  out += R"({"buckets":[)";
  bool first = true;
  for (const auto& b : buckets) {
    if (!first) {
      out += ',';
    }
    first = false;
    out += R"({"denied":)";
    out += std::to_string(b.denied);
    out += R"(,"edition":")";
    out += to_string(b.edition);
    out += R"(","granted":)";
    out += std::to_string(b.granted);
    out += R"(,"peak_used":)";
    out += std::to_string(b.peak_used);
    out += R"(,"seats":)";
    out += std::to_string(b.seats);
    out += R"(,"start":")";
    out += format_rfc3339(b.start);
    out += R"("})";
  }
  out += "]}";
  return out;
}

std::string encode_server_answer(const server_info& s) {
  return jf::dump(to_json(s));
}

std::string encode_error(const status& s) {
  // An ok status is no error; encode it as the bug it would be rather than as {"code":"ok"}.
  const error_code code = s.is_ok() ? error_code::internal_error : s.code();
  json error = {{"code", std::string(to_string(code))}, {"message", s.message()}};
  if (!s.field().empty()) {
    error["field"] = s.field();
  }
  return jf::dump({{"error", std::move(error)}});
}

result<lease> decode_lease(const json& j) {
  answer_reader r(j);
  lease l;
  l.id = r.text("id");
  l.client_id = r.text("client_id");
  l.requested_edition = r.edition("requested_edition");
  l.granted_edition = r.edition("edition");
  l.pool_id = r.text("pool_id");
  l.issued_at = r.time("issued_at");
  l.renewed_at = r.time("renewed_at");
  l.expires_at = r.time("expires_at");
  l.ttl_seconds = r.integer("ttl_seconds");
  l.renew_after_seconds = r.integer("renew_after_seconds");
  l.hostname = r.optional_text("hostname");
  l.vgpu_profile = r.optional_text("vgpu_profile");
  if (const json* given = r.member("labels")) {
    if (!given->is_object()) {
      r.fail(status::invalid("labels", "labels: must be an object"));
    } else {
      for (const auto& [key, value] : given->items()) {
        if (value.is_string()) {
          l.labels.emplace(key, value.get<std::string>());
        } else {
          r.fail(status::invalid("labels", "labels: values must be strings"));
        }
      }
    }
  }
  l.client_clock_skew_seconds = r.optional_integer("client_clock_skew_seconds");
  l.token = r.optional_text("token");
  if (!r.ok()) {
    return r.error();
  }
  return l;
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
