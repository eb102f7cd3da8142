#include "bench/vgls_bench/request_text.h"

namespace vgls::bench {
namespace {

std::string with_body(std::string_view method, std::string_view target, std::string_view host,
                      std::string_view body, bool close) {
  std::string text;
  text.reserve(160 + body.size());
  text.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: ").append(host);
  text.append("\r\nContent-Type: application/json\r\nContent-Length: ");
  text.append(std::to_string(body.size()));
  if (close)
    text.append("\r\nConnection: close");
  text.append("\r\n\r\n").append(body);
  return text;
}

}  // namespace

std::string checkout_request(std::string_view host, std::string_view client_id,
                             std::string_view edition, bool close) {
  std::string body;
  body.reserve(96 + client_id.size());
  body.append(R"({"client_id":")").append(client_id).append(R"(","edition":")").append(edition);
  body.append(R"(","hostname":"bench"})");
  return with_body("POST", "/v1/leases", host, body, close);
}

std::string renew_request(std::string_view host, std::string_view lease_id) {
  return with_body("POST", "/v1/leases/" + std::string(lease_id) + "/renew", host, "{}", false);
}

std::string release_request(std::string_view host, std::string_view lease_id) {
  std::string text;
  text.append("DELETE /v1/leases/").append(lease_id).append(" HTTP/1.1\r\nHost: ").append(host);
  text.append("\r\n\r\n");
  return text;
}

}  // namespace vgls::bench
