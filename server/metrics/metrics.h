// Prometheus metrics (SPEC §5, §13). Counters are atomics so the request path never locks;
// rendering reads them along with a fresh list of pools and the store's facts. Pool series carry
// the labels pool, edition and kind; "active" is the store's pool state (started, not expired), and
// the edition sums count active pools only, so an expired or not-yet-started pool adds no seats.
// Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
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

class metrics {
 public:
  // `route_patterns`: the router's patterns by index; one more label, "unmatched", is added for
  // requests that match no route.
  explicit metrics(std::vector<std::string> route_patterns);

  void count_checkout(protocol::edition requested, checkout_result result);
  // `route_index` == route count for an unmatched request.
  void observe_request(std::size_t route_index, int http_status, double seconds);

  // The text exposition format, version 0.0.4.
  std::string render(const std::vector<protocol::pool_view>& pools,
                     const storage::store_facts& facts) const;

  std::size_t unmatched_route() const { return route_patterns_.size() - 1; }

 private:
  static constexpr std::size_t result_count = 5;
  static constexpr std::array<int, 16> tracked_statuses = {200, 201, 204, 400, 401, 403, 404, 405,
                                                           409, 413, 415, 429, 500, 503, 0,   0};
  static constexpr std::size_t status_slots = tracked_statuses.size();  // last slots: "other"
  static constexpr std::array<double, 12> bucket_bounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

  struct route_counters {
    std::array<std::atomic<std::uint64_t>, status_slots> by_status{};
    std::array<std::atomic<std::uint64_t>, bucket_bounds.size() + 1> buckets{};  // last: +Inf
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_microseconds{0};
  };

  std::vector<std::string> route_patterns_;
  std::unique_ptr<route_counters[]> routes_;
  std::array<std::array<std::atomic<std::uint64_t>, result_count>, protocol::all_editions.size()>
      checkouts_{};
};

// Escapes a label value for the text format: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

}  // namespace vgls::server
