// The request handling of vglsd, without I/O: the route table, the order of checks of SPEC §2
// (route 404 → method 405 → auth 401 → rate limit 429 → body 413/415/400 → operation), and the
// metrics of every answer. Connections call `admit` once a request's head is read, read the body
// only if admitted, then `handle`, then `record`.
//
// Thread-safety: all methods may be called from any io thread at once.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "server/app/services.h"
#include "server/config/server_config.h"
#include "server/http/auth.h"
#include "server/http/http_types.h"
#include "server/http/rate_limiter.h"
#include "server/http/router.h"
#include "server/metrics/metrics.h"
#include "storage/store.h"

namespace vgls::server {

// One request's passage through the checks.
struct admission {
  std::optional<outgoing_response> rejection;  // set when a check failed: send it instead
  const route_method* method = nullptr;        // set when admitted
  std::size_t metrics_series = 0;              // route and method, as the metrics count them
  bool query_malformed = false;                // a 400, decided with the body checks
  request_context context;
  std::chrono::steady_clock::time_point started;
};

class application {
 public:
  application(storage::store& store, const server_config& config, auth_settings auth,
              const lease_signer& signer);
  application(const application&) = delete;
  application& operator=(const application&) = delete;

  // Route, method, auth and rate limit, from the head alone. `request` must outlive the admission
  // (its body is filled in later by the connection).
  admission admit(const incoming_request& request);

  // Body checks, then the operation. Never throws: a bug becomes 500 internal_error, logged with
  // the request id.
  boost::asio::awaitable<outgoing_response> handle(admission& admitted);

  // The answer for a body over server.max_body_bytes.
  outgoing_response body_too_large(admission& admitted) const;

  // Counts the answer in the metrics.
  void record(const admission& admitted, int http_status);

  const server::router& router() const { return router_; }
  server::metrics& metrics() { return *metrics_; }

 private:
  void register_routes();
  void note_token_use(const caller& who);

  const server_config& config_;
  server::router router_;
  authenticator auth_;
  rate_limiter limiter_;
  std::unique_ptr<server::metrics> metrics_;
  std::unique_ptr<services> services_;
  std::atomic<std::uint64_t> next_request_id_{1};
};

}  // namespace vgls::server
