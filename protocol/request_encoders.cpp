#include "protocol/request_encoders.h"

namespace vgls::protocol {

using nlohmann::json;

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
}  // namespace vgls::protocol
