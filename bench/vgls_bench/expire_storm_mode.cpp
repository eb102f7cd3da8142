#include "bench/vgls_bench/expire_storm_mode.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "bench/vgls_bench/admin_setup.h"
#include "bench/vgls_bench/cycle_mode.h"
#include "bench/vgls_bench/fill_mode.h"
#include "bench/vgls_bench/report.h"
#include "bench/vgls_bench/server_endpoint.h"

namespace vgls::bench {
namespace {

using wall_clock = std::chrono::system_clock;

bench_clock::duration seconds(double s) {
  return std::chrono::duration_cast<bench_clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

nlohmann::json run_expire_storm_mode(const bench_options& options) {
  const auto server = resolve_server(options.url);
  auto admin = admin_for(options);
  const auto start_wall = protocol::system_now();
  const auto storm_wall =
      start_wall + static_cast<protocol::unix_seconds>(std::ceil(options.storm_in_seconds));
  admin.ensure_pool(options.storm_pool_id, options.storm_edition, options.count, "subscription",
                    storm_wall);
  if (options.create_pool_seats)
    admin.ensure_pool(options.pool_id, options.edition, *options.create_pool_seats, "perpetual");

  const auto fill_start = bench_clock::now();
  const auto filled = fill_leases(options, server, options.count, options.storm_edition,
                                  options.client_prefix + "-s");
  const double fill_seconds =
      std::chrono::duration<double>(bench_clock::now() - fill_start).count();

  // The storm moment on the steady clock that stamps the samples.
  const auto storm_at =
      bench_clock::now() + std::chrono::duration_cast<bench_clock::duration>(
                               wall_clock::from_time_t(storm_wall) - wall_clock::now());
  if (storm_at - bench_clock::now() < std::chrono::seconds{1})
    throw std::runtime_error("the fill took " + std::to_string(fill_seconds) +
                             " s, too close to the storm: raise --storm-in");
  const auto held_before = nlohmann::json(admin.pools());

  const auto cycle_start = bench_clock::now();
  const auto traffic =
      cycle_traffic(options, server, storm_at, storm_at + seconds(options.after_seconds));
  const double cycle_seconds =
      std::chrono::duration<double>(bench_clock::now() - cycle_start).count();

  const auto& checkout = traffic.latencies.at("checkout");
  const auto window_ns = since_ns(
      bench_clock::time_point{}, bench_clock::time_point{} + seconds(options.storm_window_seconds));
  constexpr auto lowest = std::numeric_limits<std::int64_t>::min();
  constexpr auto highest = std::numeric_limits<std::int64_t>::max();
  bool over_seats = false;
  bool over_seats_before = false;
  return {{"mode", "expire-storm"},
          {"url", options.url},
          {"count", options.count},
          {"storm_pool", options.storm_pool_id},
          {"storm_at", protocol::format_rfc3339(storm_wall)},
          {"fill",
           {{"seconds", fill_seconds},
            {"granted", filled.outcome("granted")},
            {"transport_errors", filled.transport_errors},
            {"outcomes", filled.outcomes}}},
          {"pools_before", seat_check(held_before, over_seats_before)},
          {"cycle",
           {{"edition", options.edition},
            {"connections", options.connections},
            {"seconds", cycle_seconds},
            {"cycles", traffic.outcome("cycles")},
            {"cycles_per_second", static_cast<double>(traffic.outcome("cycles")) / cycle_seconds},
            {"transport_errors", traffic.transport_errors},
            {"outcomes", traffic.outcomes}}},
          {"checkout_latency",
           {{"before_storm", to_json(checkout.summarize(lowest, 0))},
            {"storm_window", to_json(checkout.summarize(0, window_ns))},
            {"after_window", to_json(checkout.summarize(window_ns, highest))}}},
          {"latency", latencies_json(traffic)},
          {"pools_after", seat_check(admin.pools(), over_seats)},
          {"over_seats", over_seats || over_seats_before}};
}

}  // namespace vgls::bench
