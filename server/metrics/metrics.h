// Prometheus metrics (SPEC §5, §13). Counters are atomics so the request path never locks;
// rendering reads them along with a fresh list of pools and the store's facts. Pool series carry
// the labels pool, edition and kind; "active" is the store's pool state (started, not expired), and
// the edition sums count active pools only, so an expired or not-yet-started pool adds no seats.
// Request series carry route (the pattern) and method, so a checkout (POST /v1/leases) and an
// admin listing (GET /v1/leases) are told apart.
// Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/edition.h"
#include "protocol/pool.h"
#include "storage/store.h"

namespace vgls::server {

enum class checkout_result {
  granted,
  existing,
  no_seat_available,
  license_expired,
  no_pool_for_edition
};

// A route as the request metrics name it: its pattern and the methods registered on it, in the
// router's order.
struct route_labels {
  std::string pattern;
  std::vector<std::string> methods;
};

class metrics {
 public:
  // The request series are every (route, method) pair of `routes`; per route one more with method
  // "other" for the methods it does not serve (405s); and one with route "unmatched" and method
  // "other" for requests that match no route (404s). So what a client sends never adds a series:
  // the label sets stay bounded by the route table.
  explicit metrics(const std::vector<route_labels>& routes);

  void count_checkout(protocol::edition requested, checkout_result result);

  // The series of a request to route `route_index` (its index in `routes`) with method
  // `method_index` (its position in that route's methods); a `method_index` past the route's
  // methods is its "other" series, a `route_index` past the routes the unmatched one.
  std::size_t request_series(std::size_t route_index, std::size_t method_index) const;
  std::size_t unmatched_series() const { return series_.size() - 1; }
  // Counts one answer of `series` (from request_series or unmatched_series).
  void observe_request(std::size_t series, int http_status, double seconds);

  // The text exposition format, version 0.0.4.
  std::string render(const std::vector<protocol::pool_view>& pools,
                     const storage::store_facts& facts) const;

 private:
  static constexpr std::size_t result_count = 5;
  static constexpr std::array<int, 16> tracked_statuses = {200, 201, 204, 400, 401, 403, 404, 405,
                                                           409, 413, 415, 429, 500, 503, 0,   0};
  static constexpr std::size_t status_slots = tracked_statuses.size();  // last slots: "other"
  static constexpr std::array<double, 12> bucket_bounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

  struct series_counters {
    std::array<std::atomic<std::uint64_t>, status_slots> by_status{};
    std::array<std::atomic<std::uint64_t>, bucket_bounds.size() + 1> buckets{};  // last: +Inf
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_microseconds{0};
  };

  // Per series its labels as written: route="…",method="…", escaped.
  std::vector<std::string> series_;
  // Per route, the index of its first series; one more entry at the end: the unmatched series.
  std::vector<std::size_t> first_series_;
  std::unique_ptr<series_counters[]> counters_;
  std::array<std::array<std::atomic<std::uint64_t>, result_count>, protocol::all_editions.size()>
      checkouts_{};
};

// Escapes a label value for the text format: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

}  // namespace vgls::server
