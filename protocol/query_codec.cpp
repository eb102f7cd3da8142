#include "protocol/query_codec.h"

#include <charconv>

#include "protocol/validation.h"

namespace vgls::protocol {
namespace {

// A usage report larger than this many buckets is refused rather than computed.
constexpr std::int64_t max_usage_buckets = 100000;

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

}  // namespace

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
}  // namespace vgls::protocol
