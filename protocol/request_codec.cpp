#include "protocol/request_codec.h"

#include "protocol/json_body.h"
#include "protocol/json_fields.h"
#include "protocol/pool_rules.h"
#include "protocol/validation.h"

namespace vgls::protocol {
namespace {

using nlohmann::json;
namespace jf = json_fields;

bool is_blank(std::string_view body) {
  for (char c : body) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      return false;
    }
  }
  return true;
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

    if (auto broken = check_pool_request(out)) {
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

}  // namespace vgls::protocol
