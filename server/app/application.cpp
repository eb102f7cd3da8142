#include "server/app/application.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <exception>

#include "server/app/standby_answer.h"
#include "server/http/request_target.h"
#include "server/http/responses.h"
#include "server/routes/events.h"
#include "server/routes/health.h"
#include "server/routes/keys.h"
#include "server/routes/leases.h"
#include "server/routes/metrics.h"
#include "server/routes/pools.h"
#include "server/routes/server_info.h"
#include "server/routes/tokens.h"
#include "server/routes/usage.h"
#include "server/status_page/status_page_handler.h"

namespace vgls::server {
namespace {

using protocol::error_code;
using protocol::status;

// "application/json", any case, optionally followed by parameters such as "; charset=utf-8".
bool is_json_media_type(std::string_view content_type) {
  auto semicolon = content_type.find(';');
  auto type = content_type.substr(0, semicolon);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t'))
    type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t'))
    type.remove_prefix(1);
  constexpr std::string_view json = "application/json";
  if (type.size() != json.size())
    return false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(type[i])) != json[i])
      return false;
  }
  return true;
}

}  // namespace

application::application(storage::store& store, const server_config& config, auth_settings auth,
                         const lease_signer& signer)
    : config_(config),
      auth_(std::move(auth), [&store] { return store.current_credentials(); }),
      limiter_(config.rate_limit) {
  register_routes();
  std::vector<route_labels> labels;
  for (const auto& r : router_.routes()) {
    auto& route = labels.emplace_back(route_labels{r.pattern, {}});
    for (const auto& m : r.methods)
      route.methods.push_back(m.method);
  }
  metrics_ = std::make_unique<server::metrics>(labels);
  services_ = std::make_unique<services>(services{store, config, *metrics_, signer});
}

// Every route of SPEC §2, in one place.
void application::register_routes() {
  auto bind = [this](auto handler) {
    return [this, handler](request_context& context) { return handler(context, *services_); };
  };
  // Health and metrics answer on a standby too, and are never rate limited.
  constexpr route_options always = {.rate_limited = false, .on_standby = true};
  router_.add("/", "GET", access::status_page, bind(handle_status_page));
  router_.add("/healthz", "GET", access::open, bind(handle_health), always);
  router_.add("/healthz/active", "GET", access::open, bind(handle_health_active), always);
  router_.add("/metrics", "GET", access::metrics, bind(handle_metrics), always);
  router_.add("/v1/leases", "POST", access::client, bind(handle_checkout));
  router_.add("/v1/leases", "GET", access::viewer, bind(handle_list_leases));
  router_.add("/v1/leases/{id}", "GET", access::client, bind(handle_get_lease));
  router_.add("/v1/leases/{id}", "DELETE", access::client, bind(handle_release));
  router_.add("/v1/leases/{id}/renew", "POST", access::client, bind(handle_renew));
  router_.add("/v1/keys", "GET", access::client, bind(handle_list_keys));
  router_.add("/v1/keys/rotate", "POST", access::admin, bind(handle_rotate_key));
  router_.add("/v1/pools", "GET", access::viewer, bind(handle_list_pools));
  router_.add("/v1/pools", "POST", access::admin, bind(handle_create_pool));
  router_.add("/v1/pools/{id}", "GET", access::viewer, bind(handle_get_pool));
  router_.add("/v1/pools/{id}", "PATCH", access::admin, bind(handle_update_pool));
  router_.add("/v1/pools/{id}", "DELETE", access::admin, bind(handle_delete_pool));
  router_.add("/v1/events", "GET", access::viewer, bind(handle_events));
  router_.add("/v1/usage", "GET", access::viewer, bind(handle_usage));
  router_.add("/v1/server", "GET", access::viewer, bind(handle_server_info));
  router_.add("/v1/tokens", "GET", access::viewer, bind(handle_list_tokens));
  router_.add("/v1/tokens", "POST", access::admin, bind(handle_create_token));
  router_.add("/v1/tokens/{id}", "DELETE", access::admin, bind(handle_delete_token));
}

admission application::admit(const incoming_request& request) {
  admission a;
  a.started = std::chrono::steady_clock::now();
  a.context.request = &request;
  a.context.request_id = next_request_id_.fetch_add(1, std::memory_order_relaxed);
  a.metrics_series = metrics_->unmatched_series();

  auto target = parse_request_target(request.target);
  if (!target) {
    a.rejection = error_response(status::error(error_code::not_found, "no such route"));
    return a;
  }
  auto match = router_.match(request.method, target->path);
  if (match.result == route_match::outcome::no_route) {
    a.rejection = error_response(status::error(error_code::not_found, "no such route"));
    return a;
  }
  a.context.route = match.route->pattern;
  if (match.result == route_match::outcome::wrong_method) {
    // Counted as the route's method "other": a client's made-up methods add no series.
    a.metrics_series = metrics_->request_series(match.route->index, match.route->methods.size());
    a.rejection = error_response(status::error(
        error_code::method_not_allowed,
        std::string(request.method) + " is not allowed here; allowed: " + match.route->allow));
    a.rejection->headers.emplace_back("Allow", match.route->allow);
    return a;
  }
  a.metrics_series = metrics_->request_series(match.route->index, match.method->index);
  // A standby answers nothing but health and metrics: its state is not loaded (SPEC §7).
  if (!match.method->on_standby && services_->store.role() == storage::node_role::standby) {
    a.rejection = standby_answer(services_->store.node(), match.route->pattern == "/");
    return a;
  }
  auto who = auth_.check(match.method->access, request.authorization);
  if (auto* rejected = std::get_if<outgoing_response>(&who)) {
    a.rejection = std::move(*rejected);
    return a;
  }
  a.context.who = std::get<caller>(std::move(who));
  note_token_use(a.context.who);
  if (match.method->rate_limited && limiter_.enabled()) {
    if (auto wait = limiter_.admit(request.remote_address, a.started)) {
      a.rejection = error_response(status::error(
          error_code::rate_limited,
          fmt::format("more than {} requests per second from this address", config_.rate_limit)));
      a.rejection->headers.emplace_back("Retry-After", std::to_string(*wait));
      return a;
    }
  }
  a.query_malformed = target->query_malformed;
  a.method = match.method;
  a.context.path_id = std::move(match.path_id);
  a.context.query = std::move(target->query);
  return a;
}

void application::note_token_use(const caller& who) {
  if (who.what != caller::kind::token)
    return;
  // Noted about once a minute per token: last_used_at is for people, not an audit of requests.
  constexpr protocol::unix_seconds every = 60;
  const auto now = services_->store.now();
  if (!who.last_used_at || *who.last_used_at + every <= now)
    services_->store.record_token_use(who.name, now);
}

outgoing_response application::body_too_large(admission& /*admitted*/) const {
  auto response = error_response(
      status::error(error_code::payload_too_large,
                    "the body is over " + std::to_string(config_.max_body_bytes) + " bytes"));
  // The rest of the body was not read, so the connection cannot carry another request.
  response.close_connection = true;
  return response;
}

boost::asio::awaitable<outgoing_response> application::handle(admission& admitted) {
  const auto& request = *admitted.context.request;
  if (!request.body.empty() && !is_json_media_type(request.content_type)) {
    co_return error_response(status::error(
        error_code::unsupported_media_type,
        request.content_type.empty()
            ? "a body needs Content-Type: application/json"
            : "the body is " + std::string(request.content_type) + ", not application/json"));
  }
  if (admitted.query_malformed) {
    co_return error_response(
        status::invalid({}, "the query string is not well-formed (bad percent-encoding?)"));
  }
  try {
    co_return co_await admitted.method->handler(admitted.context);
  } catch (const std::exception& e) {
    spdlog::error("request {:x} ({} {}): unexpected exception: {}; answered 500",
                  admitted.context.request_id, request.method, admitted.context.route, e.what());
  } catch (...) {
    spdlog::error("request {:x} ({} {}): unexpected exception; answered 500",
                  admitted.context.request_id, request.method, admitted.context.route);
  }
  co_return error_response(status::internal("internal error; request id " +
                                            fmt::format("{:x}", admitted.context.request_id)));
}

void application::record(const admission& admitted, int http_status) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - admitted.started).count();
  metrics_->observe_request(admitted.metrics_series, http_status, seconds);
}

}  // namespace vgls::server
