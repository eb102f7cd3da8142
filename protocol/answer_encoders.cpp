#include "protocol/answer_codec.h"
#include "protocol/json_fields.h"
#include "protocol/lease_wire.h"

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

}  // namespace

json to_json(const lease& l) {
  return lease_to_json(l);
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
    append_lease_json(out, l);
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
    items.push_back(lease_to_json(l));
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

}  // namespace vgls::protocol
