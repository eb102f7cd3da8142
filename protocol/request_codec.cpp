#include "protocol/request_codec.h"

#include <charconv>
#include <limits>

#include "protocol/json_fields.h"
#include "protocol/pool_rules.h"
#include "protocol/validation.h"

namespace vgls::protocol {
namespace {

using nlohmann::json;
namespace jf = json_fields;

// Deep enough for any request vgls reads (they are flat), shallow enough that no input can
// exhaust the stack of the recursive parser.
constexpr int max_json_depth = 32;
constexpr std::int64_t max_pool_days = 36500;
// A usage report larger than this many buckets is refused rather than computed.
constexpr std::int64_t max_usage_buckets = 100000;

// Scans brackets outside strings; false when nesting exceeds max_json_depth.
bool nesting_within_limit(std::string_view body) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_json_depth) {
        return false;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

// The body failed to parse. When the fault is a number too large for any JSON type (`1e400`,
// a syntactically valid number), name the top-level member that holds it, since that field is at
// fault rather than the JSON; otherwise it is plain malformed JSON. The cold path only.
status unparsable_body(std::string_view body) {
  std::string top_level_key;
  const json::parser_callback_t track = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1 && parsed.is_string()) {
      top_level_key = parsed.get<std::string>();
    }
    return true;
  };
  try {
    const json whole = json::parse(body, track, true);
    static_cast<void>(whole);
  } catch (const json::out_of_range&) {
    if (!top_level_key.empty()) {
      return status::invalid(top_level_key, top_level_key + ": number out of range");
    }
  } catch (const std::exception&) {
  }
  return status::invalid({}, "body is not valid JSON");
}

bool is_blank(std::string_view body) {
  for (char c : body) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      return false;
    }
  }
  return true;
}

const std::string* param(const query_params& params, std::string_view name) {
  const auto it = params.find(name);
  if (it == params.end() || it->second.empty()) {
    return nullptr;  // "?pool=" filters nothing, like an absent parameter
  }
  return &it->second;
}

// Strict decimal: digits only, no sign, no spaces, fits in int64.
std::optional<std::int64_t> parse_decimal(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
  }
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

result<int> decode_limit(const query_params& params) {
  const std::string* text = param(params, "limit");
  if (text == nullptr) {
    return 100;
  }
  const auto value = parse_decimal(*text);
  if (!value || *value < 1 || *value > max_page_limit) {
    return status::invalid("limit", "limit: must be an integer from 1 to 1000");
  }
  return static_cast<int>(*value);
}

result<std::optional<protocol::edition>> decode_edition_param(const query_params& params) {
  const std::string* text = param(params, "edition");
  if (text == nullptr) {
    return std::optional<protocol::edition>{};
  }
  if (auto e = parse_edition(*text)) {
    return std::optional<protocol::edition>{*e};
  }
  return status::error(error_code::unknown_edition,
                       "edition: must be one of vApp, vPC, vWS, vCS (or an alias)", "edition");
}

result<labels> decode_labels(const json& object) {
  const json* value = jf::member(object, "labels");
  if (value == nullptr) {
    return labels{};
  }
  if (!value->is_object()) {
    return status::invalid("labels", "labels: must be an object of strings");
  }
  if (value->size() > max_labels) {
    return status::invalid("labels", "labels: at most 16 pairs");
  }
  labels out;
  for (const auto& [key, item] : value->items()) {
    if (key.empty() || key.size() > max_label_bytes) {
      return status::invalid("labels", "labels: names must be 1-64 bytes");
    }
    if (!item.is_string()) {
      return status::invalid("labels", "labels: values must be strings");
    }
    const auto& text = item.get_ref<const std::string&>();
    if (text.size() > max_label_bytes) {
      return status::invalid("labels", "labels: values must be at most 64 bytes");
    }
    out.emplace(key, text);
  }
  return out;
}

result<std::optional<std::int64_t>> decode_seats(const json& object) {
  auto seats = jf::optional_integer(object, "seats");
  if (!seats || (seats->has_value() && (**seats < 0 || **seats > max_pool_seats))) {
    return status::invalid("seats", "seats: must be an integer from 0 to 10000000");
  }
  return *seats;
}

// Runs `decode` on a parsed object, turning any escaping exception into invalid_request.
template <class T, class F>
result<T> decode_body(std::string_view body, F&& decode) {
  auto object = parse_json_object(body);
  if (!object) {
    return object.error();
  }
  try {
    return decode(*object);
  } catch (const std::exception&) {
    return status::invalid({}, "body could not be decoded");
  }
}

}  // namespace

result<json> parse_json_object(std::string_view body) {
  if (!is_valid_utf8(body)) {
    return status::invalid({}, "body is not valid UTF-8");
  }
  if (!nesting_within_limit(body)) {
    return status::invalid({}, "body is nested deeper than 32 levels");
  }
  // JSON never holds a raw NUL (inside strings it must be escaped), but the parser takes one for
  // the end of input and would ignore whatever follows it.
  if (body.find('\0') != std::string_view::npos) {
    return status::invalid({}, "body is not valid JSON");
  }
  try {
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded()) {
      return unparsable_body(body);
    }
    if (!parsed.is_object()) {
      return status::invalid({}, "body must be a JSON object");
    }
    return parsed;
  } catch (const std::exception&) {
    return status::invalid({}, "body is not valid JSON");
  }
}

result<checkout_request> decode_checkout_request(std::string_view body) {
  return decode_body<checkout_request>(body, [](const json& o) -> result<checkout_request> {
    checkout_request out;
    auto client_id = jf::required_string(o, "client_id");
    if (!client_id) {
      return client_id.error();
    }
    if (!is_valid_client_id(*client_id)) {
      return status::invalid("client_id",
                             "client_id: must be 1-128 characters of A-Z a-z 0-9 . _ : -");
    }
    out.client_id = std::move(*client_id);

    auto named_edition = jf::optional_edition(o, "edition");
    if (!named_edition) {
      return named_edition.error();
    }
    auto profile = jf::optional_string(o, "vgpu_profile", max_vgpu_profile_bytes);
    if (!profile) {
      return profile.error();
    }
    out.vgpu_profile = std::move(*profile);
    if (named_edition->has_value()) {
      out.requested_edition = **named_edition;  // edition wins over the profile
    } else if (out.vgpu_profile) {
      const auto implied = edition_from_profile(*out.vgpu_profile);
      if (!implied) {
        return status::error(error_code::unknown_edition,
                             "vgpu_profile: implies no edition (its last letter must be A, B, "
                             "C or Q)",
                             "vgpu_profile");
      }
      out.requested_edition = *implied;
    } else {
      return status::invalid("edition", "edition: required (or a vgpu_profile that implies one)");
    }

    auto hostname = jf::optional_string(o, "hostname", max_hostname_bytes);
    if (!hostname) {
      return hostname.error();
    }
    out.hostname = std::move(*hostname);

    auto given_labels = decode_labels(o);
    if (!given_labels) {
      return given_labels.error();
    }
    out.labels = std::move(*given_labels);

    auto client_time = jf::optional_time(o, "client_time");
    if (!client_time) {
      return client_time.error();
    }
    out.client_time = *client_time;
    return out;
  });
}

result<renew_request> decode_renew_request(std::string_view body) {
  if (is_blank(body)) {
    return renew_request{};
  }
  return decode_body<renew_request>(body, [](const json& o) -> result<renew_request> {
    auto client_time = jf::optional_time(o, "client_time");
    if (!client_time) {
      return client_time.error();
    }
    return renew_request{*client_time};
  });
}

result<pool_create_request> decode_pool_create_request(std::string_view body) {
  return decode_body<pool_create_request>(body, [](const json& o) -> result<pool_create_request> {
    pool_create_request out;
    auto id = jf::required_string(o, "id");
    if (!id) {
      return id.error();
    }
    if (!is_valid_pool_id(*id)) {
      return status::invalid("id", "id: must match [a-z0-9][a-z0-9._-]{0,62}");
    }
    out.id = std::move(*id);

    auto e = jf::required_edition(o, "edition");
    if (!e) {
      return e.error();
    }
    out.edition = *e;

    auto seats = decode_seats(o);
    if (!seats) {
      return seats.error();
    }
    if (!seats->has_value()) {
      return status::invalid("seats", "seats: required");
    }
    out.seats = **seats;

    auto kind_text = jf::required_string(o, "kind");
    if (!kind_text) {
      return status::invalid("kind", "kind: required, one of trial, subscription, perpetual");
    }
    const auto kind = parse_pool_kind(*kind_text);
    if (!kind) {
      return status::invalid("kind", "kind: must be one of trial, subscription, perpetual");
    }
    out.kind = *kind;

    auto starts_at = jf::optional_time(o, "starts_at");
    if (!starts_at) {
      return starts_at.error();
    }
    out.starts_at = *starts_at;
    auto expires_at = jf::optional_time(o, "expires_at");
    if (!expires_at) {
      return expires_at.error();
    }
    out.expires_at = *expires_at;

    auto days = jf::optional_integer(o, "days");
    if (!days || (days->has_value() && (**days < 1 || **days > max_pool_days))) {
      return status::invalid("days", "days: must be an integer from 1 to 36500");
    }
    out.days = *days;

    if (auto broken = check_pool_dates(out)) {
      return status::invalid(broken->field, broken->field.empty()
                                                ? broken->reason
                                                : broken->field + ": " + broken->reason);
    }
    return out;
  });
}

result<pool_patch_request> decode_pool_patch_request(std::string_view body) {
  return decode_body<pool_patch_request>(body, [](const json& o) -> result<pool_patch_request> {
    pool_patch_request out;
    auto seats = decode_seats(o);
    if (!seats) {
      return seats.error();
    }
    out.seats = *seats;
    auto starts_at = jf::optional_time(o, "starts_at");
    if (!starts_at) {
      return starts_at.error();
    }
    out.starts_at = *starts_at;
    auto expires_at = jf::optional_time(o, "expires_at");
    if (!expires_at) {
      return expires_at.error();
    }
    out.expires_at = *expires_at;
    if (out.starts_at && out.expires_at && *out.expires_at <= *out.starts_at) {
      return status::invalid("expires_at", "expires_at: must be after starts_at");
    }
    return out;
  });
}

result<lease_query> decode_lease_query(const query_params& params) {
  lease_query out;
  if (const std::string* pool = param(params, "pool")) {
    out.pool_id = *pool;
  }
  auto e = decode_edition_param(params);
  if (!e) {
    return e.error();
  }
  out.edition = *e;
  if (const std::string* client = param(params, "client_id")) {
    out.client_id = *client;
  }
  if (const std::string* host = param(params, "hostname")) {
    out.hostname_prefix = *host;
  }
  auto limit = decode_limit(params);
  if (!limit) {
    return limit.error();
  }
  out.limit = *limit;
  if (const std::string* after = param(params, "after")) {
    out.after = *after;
  }
  return out;
}

result<event_query> decode_event_query(const query_params& params) {
  event_query out;
  if (const std::string* after = param(params, "after")) {
    const auto value = parse_decimal(*after);
    if (!value) {
      return status::invalid("after", "after: must be an event id (an integer >= 0)");
    }
    out.after = *value;
  }
  auto limit = decode_limit(params);
  if (!limit) {
    return limit.error();
  }
  out.limit = *limit;
  if (const std::string* type = param(params, "type")) {
    if (!is_event_type(*type)) {
      return status::invalid("type", "type: not an event type (e.g. lease.granted)");
    }
    out.type = *type;
  }
  return out;
}

result<usage_query> decode_usage_query(const query_params& params, unix_seconds now) {
  usage_query out;
  out.to = usage_end_through(now);  // left out, `to` is now, the current second included
  unix_seconds span_end = now;
  if (const std::string* to = param(params, "to")) {
    const auto t = parse_rfc3339(*to);
    if (!t) {
      return status::invalid("to", "to: must be an RFC 3339 time such as 2026-11-24T10:00:00Z");
    }
    out.to = *t;
    span_end = *t;
  }
  out.from = span_end - seconds_per_day;
  if (const std::string* from = param(params, "from")) {
    const auto t = parse_rfc3339(*from);
    if (!t) {
      return status::invalid("from", "from: must be an RFC 3339 time such as 2026-11-24T10:00:00Z");
    }
    out.from = *t;
  }
  if (out.from >= out.to) {
    return status::invalid("from", "from: must be before to");
  }
  if (const std::string* bucket = param(params, "bucket")) {
    static constexpr std::string_view allowed[] = {"1m", "5m", "15m", "1h", "6h", "1d"};
    bool known = false;
    for (std::string_view b : allowed) {
      known = known || b == *bucket;
    }
    if (!known) {
      return status::invalid("bucket", "bucket: must be one of 1m, 5m, 15m, 1h, 6h, 1d");
    }
    out.bucket_seconds = *parse_duration(*bucket);
  }
  if ((out.to - out.from) / out.bucket_seconds > max_usage_buckets) {
    return status::invalid("bucket",
                           "bucket: the range holds more than 100000 buckets; use a larger one");
  }
  auto e = decode_edition_param(params);
  if (!e) {
    return e.error();
  }
  out.edition = *e;
  return out;
}

result<bool> decode_force_flag(const query_params& params) {
  const auto it = params.find("force");
  if (it == params.end()) {
    return false;
  }
  if (it->second == "true") {
    return true;
  }
  if (it->second == "false") {
    return false;
  }
  return status::invalid("force", "force: must be true or false");
}

json encode(const checkout_request& request) {
  json out = json::object();
  out["client_id"] = request.client_id;
  out["edition"] = std::string(to_string(request.requested_edition));
  if (request.vgpu_profile) {
    out["vgpu_profile"] = *request.vgpu_profile;
  }
  if (request.hostname) {
    out["hostname"] = *request.hostname;
  }
  if (!request.labels.empty()) {
    out["labels"] = request.labels;
  }
  if (request.client_time) {
    out["client_time"] = format_rfc3339(*request.client_time);
  }
  return out;
}

json encode(const renew_request& request) {
  json out = json::object();
  if (request.client_time) {
    out["client_time"] = format_rfc3339(*request.client_time);
  }
  return out;
}

json encode(const pool_create_request& request) {
  json out = json::object();
  out["id"] = request.id;
  out["edition"] = std::string(to_string(request.edition));
  out["seats"] = request.seats;
  out["kind"] = std::string(to_string(request.kind));
  if (request.starts_at) {
    out["starts_at"] = format_rfc3339(*request.starts_at);
  }
  if (request.expires_at) {
    out["expires_at"] = format_rfc3339(*request.expires_at);
  }
  if (request.days) {
    out["days"] = *request.days;
  }
  return out;
}

json encode(const pool_patch_request& request) {
  json out = json::object();
  if (request.seats) {
    out["seats"] = *request.seats;
  }
  if (request.starts_at) {
    out["starts_at"] = format_rfc3339(*request.starts_at);
  }
  if (request.expires_at) {
    out["expires_at"] = format_rfc3339(*request.expires_at);
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' ||
                            byte == '_' || byte == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0x0f];
    }
  }
  return out;
}

}  // namespace vgls::protocol
