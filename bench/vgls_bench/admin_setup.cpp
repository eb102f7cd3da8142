#include "bench/vgls_bench/admin_setup.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <variant>

namespace vgls::bench {
namespace {

std::string read_token(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot read the admin token file " + path);
  std::stringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  return token;
}

client::http_response call(client::http_client& client, std::string_view method,
                           std::string_view target, const std::string& body = {}) {
  auto answer = client.request(method, target, body);
  if (auto* error = std::get_if<client::transport_error>(&answer))
    throw std::runtime_error(std::string(method) + " " + std::string(target) + ": " +
                             error->message);
  return std::get<client::http_response>(std::move(answer));
}

[[noreturn]] void refused(std::string_view what, const client::http_response& answer) {
  throw std::runtime_error(std::string(what) + ": HTTP " + std::to_string(answer.status) + " " +
                           answer.body);
}

}  // namespace

admin_api::admin_api(const std::string& url, const std::string& token_file) {
  std::string error;
  auto server = client::parse_server_url(url, &error);
  if (!server)
    throw std::runtime_error("--url: " + error);
  client::client_options options;
  options.bearer_token = read_token(token_file);
  options.request_timeout = std::chrono::milliseconds{60000};
  client_ = std::make_unique<client::http_client>(std::move(*server), std::move(options));
}

void admin_api::ensure_pool(const std::string& id, const std::string& edition, std::int64_t seats,
                            const std::string& kind,
                            std::optional<protocol::unix_seconds> expires_at) {
  nlohmann::json pool = {{"id", id}, {"edition", edition}, {"seats", seats}, {"kind", kind}};
  if (expires_at)
    pool["expires_at"] = protocol::format_rfc3339(*expires_at);
  const auto created = call(*client_, "POST", "/v1/pools", pool.dump());
  if (created.status == 201)
    return;
  if (created.status != 409)
    refused("creating pool " + id, created);
  nlohmann::json patch = {{"seats", seats}};
  if (expires_at)
    patch["expires_at"] = protocol::format_rfc3339(*expires_at);
  const auto patched = call(*client_, "PATCH", "/v1/pools/" + id, patch.dump());
  if (patched.status != 200)
    refused("resizing pool " + id, patched);
}

nlohmann::json admin_api::pools() {
  const auto answer = call(*client_, "GET", "/v1/pools");
  if (answer.status != 200)
    refused("listing pools", answer);
  auto body = nlohmann::json::parse(answer.body, nullptr, false);
  if (body.is_discarded() || !body.contains("pools") || !body["pools"].is_array())
    throw std::runtime_error("GET /v1/pools: not a pool list: " + answer.body);
  return body["pools"];
}

admin_api admin_for(const bench_options& options) {
  if (!options.admin_token_file)
    throw std::runtime_error("--admin-token-file is needed for setup through the admin API");
  return admin_api(options.url, *options.admin_token_file);
}

nlohmann::json seat_check(const nlohmann::json& pools, bool& over_seats) {
  over_seats = false;
  auto out = nlohmann::json::array();
  for (const auto& p : pools) {
    const auto seats = p.value("seats", std::int64_t{0});
    const auto used = p.value("used", std::int64_t{0});
    if (used > seats)
      over_seats = true;
    out.push_back({{"id", p.value("id", "")},
                   {"edition", p.value("edition", "")},
                   {"seats", seats},
                   {"used", used}});
  }
  return out;
}

}  // namespace vgls::bench
