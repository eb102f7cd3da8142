#include "protocol/lease_token.h"

#include <charconv>

#include "protocol/answer_reader.h"
#include "protocol/json_body.h"
#include "protocol/json_fields.h"

namespace vgls::protocol {
namespace {

using nlohmann::json;
namespace jf = json_fields;

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int sextet(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '-')
    return 62;
  if (c == '_')
    return 63;
  return -1;
}

// The members written here are validated ids and edition names, but escape anyway: a token is
// JSON whatever its claims hold.
void append_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

void append_integer(std::string& out, std::int64_t v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

status bad_token(std::string what) {
  return status::invalid("token", "token: " + what);
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  // Three bytes give four characters; a tail of one or two bytes gives two or three (no padding).
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t whole = bytes.size() / 3 * 3;
  std::string out((bytes.size() * 4 + 2) / 3, '\0');
  char* o = out.data();
  for (std::size_t i = 0; i < whole; i += 3) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16 | std::uint32_t{in[i + 1]} << 8 | in[i + 2];
    *o++ = alphabet[v >> 18];
    *o++ = alphabet[(v >> 12) & 0x3f];
    *o++ = alphabet[(v >> 6) & 0x3f];
    *o++ = alphabet[v & 0x3f];
  }
  if (const std::size_t rest = bytes.size() - whole; rest > 0) {
    const std::uint32_t v =
        std::uint32_t{in[whole]} << 16 | (rest == 2 ? std::uint32_t{in[whole + 1]} << 8 : 0);
    *o++ = alphabet[v >> 18];
    *o++ = alphabet[(v >> 12) & 0x3f];
    if (rest == 2)
      *o++ = alphabet[(v >> 6) & 0x3f];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = sextet(c);
    if (v < 0) {
      return std::nullopt;
    }
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) {
    return std::nullopt;  // non-canonical: leftover bits must be zero
  }
  return out;
}

lease_claims claims_of(const lease& l, std::string_view installation_id) {
  lease_claims c;
  c.iss = std::string(installation_id);
  c.sub = l.client_id;
  c.jti = l.id;
  c.iat = l.renewed_at;
  c.exp = l.expires_at;
  c.edition = l.granted_edition;
  c.requested_edition = l.requested_edition;
  c.pool = l.pool_id;
  c.ttl = l.ttl_seconds;
  return c;
}

std::string encoded_token_header(std::string_view kid) {
  std::string header = R"({"alg":"EdDSA","typ":")";
  header += lease_token_type;
  header += R"(","kid":)";
  append_string(header, kid);
  header += '}';
  return base64url_encode(header);
}

std::string encoded_claims(const lease_claims& c) {
  std::string out;
  out.reserve(256);
  out += R"({"iss":)";
  append_string(out, c.iss);
  out += R"(,"sub":)";
  append_string(out, c.sub);
  out += R"(,"jti":)";
  append_string(out, c.jti);
  out += R"(,"iat":)";
  append_integer(out, c.iat);
  out += R"(,"exp":)";
  append_integer(out, c.exp);
  out += R"(,"edition":)";
  append_string(out, to_string(c.edition));
  out += R"(,"requested_edition":)";
  append_string(out, to_string(c.requested_edition));
  out += R"(,"pool":)";
  append_string(out, c.pool);
  out += R"(,"ttl":)";
  append_integer(out, c.ttl);
  out += '}';
  return base64url_encode(out);
}

result<parsed_lease_token> parse_lease_token(std::string_view token) {
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return bad_token("not a JWS in compact form (three parts)");
  }
  const auto header_text = base64url_decode(token.substr(0, first));
  const auto claims_text = base64url_decode(token.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(token.substr(second + 1));
  if (!header_text || !claims_text || !signature) {
    return bad_token("a part is not base64url");
  }
  auto header = parse_json_object(*header_text);
  if (!header) {
    return bad_token("the header is not a JSON object");
  }
  const auto alg = jf::optional_string(*header, "alg");
  const auto typ = jf::optional_string(*header, "typ");
  const auto kid = jf::optional_string(*header, "kid");
  if (!alg || *alg != std::optional<std::string>("EdDSA")) {
    return bad_token("alg must be EdDSA");
  }
  if (!typ || *typ != std::optional<std::string>(std::string(lease_token_type))) {
    return bad_token("typ must be vgls-lease+jwt");
  }
  if (!kid || !kid->has_value() || (*kid)->empty()) {
    return bad_token("the header names no kid");
  }
  auto claims = parse_json_object(*claims_text);
  if (!claims) {
    return bad_token("the claims are not a JSON object");
  }
  answer_reader r(*claims);
  parsed_lease_token out;
  out.kid = **kid;
  out.claims.iss = r.text("iss");
  out.claims.sub = r.text("sub");
  out.claims.jti = r.text("jti");
  out.claims.iat = r.integer("iat");
  out.claims.exp = r.integer("exp");
  out.claims.edition = r.edition("edition");
  out.claims.requested_edition = r.edition("requested_edition");
  out.claims.pool = r.text("pool");
  out.claims.ttl = r.integer("ttl");
  if (!r.ok()) {
    return bad_token("claims: " + r.error().message());
  }
  out.signing_input = std::string(token.substr(0, second));
  out.signature = std::move(*signature);
  return out;
}

std::string jwk_thumbprint_input(std::string_view x) {
  // RFC 7638 §3.2: the required members only, sorted, no whitespace.
  std::string out = R"({"crv":"Ed25519","kty":"OKP","x":)";
  append_string(out, x);
  out += '}';
  return out;
}

std::string encode_keys_answer(const std::vector<public_jwk>& keys) {
  // Members in the SPEC's order (ordered_json keeps insertion order).
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const auto& k : keys) {
    nlohmann::ordered_json key;
    key["kty"] = "OKP";
    key["crv"] = "Ed25519";
    key["alg"] = "EdDSA";
    key["use"] = "sig";
    key["kid"] = k.kid;
    key["x"] = k.x;
    items.push_back(std::move(key));
  }
  nlohmann::ordered_json body;
  body["keys"] = std::move(items);
  return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

result<std::vector<public_jwk>> decode_keys_answer(std::string_view body) {
  auto object = parse_json_object(body);
  if (!object) {
    return status::internal("malformed key set: " + object.error().message());
  }
  const json* items = jf::member(*object, "keys");
  if (items == nullptr || !items->is_array()) {
    return status::internal("malformed key set: keys must be an array");
  }
  std::vector<public_jwk> out;
  for (const auto& item : *items) {
    const auto kty = jf::optional_string(item, "kty");
    const auto crv = jf::optional_string(item, "crv");
    const auto kid = jf::optional_string(item, "kid");
    const auto x = jf::optional_string(item, "x");
    if (!kty || !crv || !kid || !x || *kty != std::optional<std::string>("OKP") ||
        *crv != std::optional<std::string>("Ed25519") || !kid->has_value() || !x->has_value()) {
      continue;
    }
    out.push_back({**kid, **x});
  }
  return out;
}

}  // namespace vgls::protocol
