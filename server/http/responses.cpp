#include "server/http/responses.h"

#include "protocol/answer_codec.h"

namespace vgls::server {

outgoing_response json_response(int status, std::string body) {
  outgoing_response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(body);
  return response;
}

outgoing_response no_content() {
  outgoing_response response;
  response.status = 204;
  return response;
}

outgoing_response error_response(const protocol::status& error, std::string_view challenge) {
  auto response = json_response(protocol::http_status(error.code()), protocol::encode_error(error));
  if (error.code() == protocol::error_code::unavailable) {
    // Storage trouble is usually brief; tell clients when a retry makes sense.
    response.headers.emplace_back("Retry-After", "5");
  } else if (error.code() == protocol::error_code::unauthorized) {
    response.headers.emplace_back("WWW-Authenticate", std::string(challenge));
  }
  return response;
}

}  // namespace vgls::server

#include <spdlog/spdlog.h>

namespace vgls::server {

outgoing_response failure(const request_context& context, const protocol::status& error) {
  if (error.code() == protocol::error_code::internal_error) {
    spdlog::error("request {:x} ({} {}): internal error: {}; answered 500", context.request_id,
                  context.request ? context.request->method : "", context.route, error.message());
  } else if (error.code() == protocol::error_code::unavailable) {
    spdlog::warn("request {:x} ({} {}): storage unavailable: {}; answered 503, clients retry",
                 context.request_id, context.request ? context.request->method : "", context.route,
                 error.message());
  }
  return error_response(error);
}

}  // namespace vgls::server
