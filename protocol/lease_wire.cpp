#include "protocol/lease_wire.h"

#include <charconv>

#include "protocol/answer_reader.h"
#include "protocol/json_fields.h"

namespace vgls::protocol {
namespace {

using nlohmann::json;
namespace jf = json_fields;

// Every member of a lease on the wire, once, in key order (the order nlohmann writes an object
// in, so the direct writer's text equals a dump of the JSON value). `L` is `const lease` for the
// writers and `lease` for the reader; the visitor says what each kind of member means to it.
template <class L, class Visitor>
void visit_lease_members(L& l, Visitor& v) {
  v.optional_integer("client_clock_skew_seconds", l.client_clock_skew_seconds, false);
  v.text("client_id", l.client_id);
  v.edition("edition", l.granted_edition);
  v.time("expires_at", l.expires_at);
  v.optional_text("hostname", l.hostname, true);
  v.text("id", l.id);
  v.time("issued_at", l.issued_at);
  v.labels("labels", l.labels);
  v.text("pool_id", l.pool_id);
  v.integer("renew_after_seconds", l.renew_after_seconds);
  v.time("renewed_at", l.renewed_at);
  v.edition("requested_edition", l.requested_edition);
  v.optional_text("token", l.token, false);
  v.integer("ttl_seconds", l.ttl_seconds);
  v.optional_text("vgpu_profile", l.vgpu_profile, true);
}

// Builds the nlohmann value. `null_when_absent` = false leaves an absent member out.
class json_writer {
 public:
  json out = json::object();

  void text(const char* key, const std::string& value) { out[key] = value; }
  void edition(const char* key, protocol::edition e) { out[key] = std::string(to_string(e)); }
  void time(const char* key, unix_seconds t) { out[key] = format_rfc3339(t); }
  void integer(const char* key, std::int64_t v) { out[key] = v; }
  void optional_text(const char* key, const std::optional<std::string>& v, bool null_when_absent) {
    if (v) {
      out[key] = *v;
    } else if (null_when_absent) {
      out[key] = nullptr;
    }
  }
  void optional_integer(const char* key, const std::optional<std::int64_t>& v,
                        bool null_when_absent) {
    if (v) {
      out[key] = *v;
    } else if (null_when_absent) {
      out[key] = nullptr;
    }
  }
  void labels(const char* key, const protocol::labels& given) {
    json object = json::object();
    for (const auto& [name, value] : given) {
      object[name] = value;
    }
    out[key] = std::move(object);
  }
};

// Writes the text directly: the hot path (every check out and renew answers a lease).
class text_writer {
 public:
  explicit text_writer(std::string& out) : out_(out) { out_ += '{'; }
  void finish() { out_ += '}'; }

  void text(const char* key, std::string_view value) {
    append_key(key);
    append_string(value);
  }
  void edition(const char* key, protocol::edition e) { text(key, to_string(e)); }
  void time(const char* key, unix_seconds t) { text(key, format_rfc3339(t)); }
  void integer(const char* key, std::int64_t v) {
    append_key(key);
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, end);
  }
  void optional_text(const char* key, const std::optional<std::string>& v, bool null_when_absent) {
    if (v) {
      text(key, *v);
    } else if (null_when_absent) {
      append_key(key);
      out_ += "null";
    }
  }
  void optional_integer(const char* key, const std::optional<std::int64_t>& v,
                        bool null_when_absent) {
    if (v) {
      integer(key, *v);
    } else if (null_when_absent) {
      append_key(key);
      out_ += "null";
    }
  }
  void labels(const char* key, const protocol::labels& given) {
    append_key(key);
    out_ += '{';
    bool first = true;
    for (const auto& [name, value] : given) {
      if (!first)
        out_ += ',';
      first = false;
      append_string(name);
      out_ += ':';
      append_string(value);
    }
    out_ += '}';
  }

 private:
  // `"key":` (keys are literals here, plain ASCII).
  void append_key(const char* key) {
    if (!first_)
      out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }

  // `s` as a JSON string exactly as nlohmann's dump (error_handler_t::replace, no ASCII
  // escaping) writes it: plain printable ASCII directly, anything else through nlohmann itself.
  void append_string(std::string_view s) {
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') {
        out_ += jf::dump(json(std::string(s)));
        return;
      }
    }
    out_ += '"';
    out_ += s;
    out_ += '"';
  }

  std::string& out_;
  bool first_ = true;
};

class reader {
 public:
  explicit reader(const json& object) : r_(object) {}

  void text(const char* key, std::string& v) { v = r_.text(key); }
  void edition(const char* key, protocol::edition& e) { e = r_.edition(key); }
  void time(const char* key, unix_seconds& t) { t = r_.time(key); }
  void integer(const char* key, std::int64_t& v) { v = r_.integer(key); }
  void optional_text(const char* key, std::optional<std::string>& v, bool) {
    v = r_.optional_text(key);
  }
  void optional_integer(const char* key, std::optional<std::int64_t>& v, bool) {
    v = r_.optional_integer(key);
  }
  void labels(const char* key, protocol::labels& out) {
    const json* given = r_.member(key);
    if (given == nullptr) {
      return;
    }
    if (!given->is_object()) {
      r_.fail(status::invalid("labels", "labels: must be an object"));
      return;
    }
    for (const auto& [name, value] : given->items()) {
      if (value.is_string()) {
        out.emplace(name, value.get<std::string>());
      } else {
        r_.fail(status::invalid("labels", "labels: values must be strings"));
      }
    }
  }

  answer_reader& base() { return r_; }

 private:
  answer_reader r_;
};

}  // namespace

json lease_to_json(const lease& l) {
  json_writer w;
  visit_lease_members(l, w);
  return std::move(w.out);
}

void append_lease_json(std::string& out, const lease& l) {
  text_writer w(out);
  visit_lease_members(l, w);
  w.finish();
}

result<lease> lease_from_json(const json& j) {
  reader r(j);
  lease l;
  visit_lease_members(l, r);
  if (!r.base().ok()) {
    return r.base().error();
  }
  return l;
}

}  // namespace vgls::protocol
