// Setup before a run and seat checks after it, through the admin API (SPEC §2), synchronously
// with vgls::client. Failures throw std::runtime_error carrying the server's answer. One thread.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "bench/vgls_bench/bench_options.h"
#include "client/http_client.h"
#include "protocol/time.h"

namespace vgls::bench {

class admin_api {
 public:
  // Reads the admin token from `token_file` (trailing whitespace trimmed).
  admin_api(const std::string& url, const std::string& token_file);

  // Creates the pool; when the id is taken, sets its seats (and expiry) to these instead.
  void ensure_pool(const std::string& id, const std::string& edition, std::int64_t seats,
                   const std::string& kind, std::optional<protocol::unix_seconds> expires_at = {});

  // GET /v1/pools: the "pools" array.
  nlohmann::json pools();

 private:
  std::unique_ptr<client::http_client> client_;
};

// The admin API of `options.url` with the token of --admin-token-file; throws when none is given.
admin_api admin_for(const bench_options& options);

// Each pool as {"id","edition","seats","used"}; `over_seats` is set when any has used > seats.
nlohmann::json seat_check(const nlohmann::json& pools, bool& over_seats);

}  // namespace vgls::bench
