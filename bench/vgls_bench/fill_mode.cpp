#include "bench/vgls_bench/fill_mode.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/this_coro.hpp>
#include <vector>

#include "bench/vgls_bench/admin_setup.h"
#include "bench/vgls_bench/answer_fields.h"
#include "bench/vgls_bench/bench_connection.h"
#include "bench/vgls_bench/io_threads.h"
#include "bench/vgls_bench/report.h"
#include "bench/vgls_bench/request_text.h"
#include "bench/vgls_bench/source_addresses.h"

namespace vgls::bench {
namespace {

struct fill_plan {
  std::int64_t count = 0;
  std::string edition;
  std::string client_prefix;
  bench_clock::time_point start;
  std::atomic<std::int64_t> next{0};  // shared by the connections of every thread
};

asio::awaitable<void> fill_connection(const bench_options& options, const server_endpoint& server,
                                      int index, fill_plan& plan, run_stats& stats) {
  bench_connection connection(co_await asio::this_coro::executor, options.timeout);
  const auto source = source_address(options.source_addresses, static_cast<std::uint64_t>(index));
  auto& latency = stats.latencies["checkout"];
  for (auto i = plan.next++; i < plan.count; i = plan.next++) {
    const auto request =
        checkout_request(server.host, plan.client_prefix + "-f" + std::to_string(i), plan.edition);
    // A lease must not be silently missing from the fill: retry a broken exchange a few times.
    for (int attempt = 0;; ++attempt) {
      if (!connection.is_open() && co_await connection.connect(server.endpoint, source)) {
        if (attempt < options.retries) {
          ++stats.retries;
          continue;
        }
        ++stats.transport_errors;
        break;
      }
      const auto sent = bench_clock::now();
      auto answer = co_await connection.exchange(request);
      const auto done = bench_clock::now();
      if (answer.error) {
        if (attempt < options.retries) {
          ++stats.retries;
          continue;
        }
        ++stats.transport_errors;
        break;
      }
      latency.record(since_ns(plan.start, done), done - sent);
      stats.count(outcome_of(answer.status, answer.body, "existing"));
      break;
    }
  }
}

}  // namespace

run_stats fill_leases(const bench_options& options, const server_endpoint& server,
                      std::int64_t count, const std::string& edition,
                      const std::string& client_prefix) {
  fill_plan plan;
  plan.count = count;
  plan.edition = edition;
  plan.client_prefix = client_prefix;
  io_threads threads(options.threads);
  std::vector<run_stats> per_thread(threads.size());
  const auto connections = static_cast<int>(std::min<std::int64_t>(options.connections, count));
  plan.start = bench_clock::now();
  for (int c = 0; c < connections; ++c) {
    const auto t = static_cast<std::size_t>(c) % threads.size();
    spawn(threads.context(t), fill_connection(options, server, c, plan, per_thread[t]));
  }
  threads.run();
  run_stats total;
  for (const auto& s : per_thread)
    total.merge(s);
  return total;
}

nlohmann::json run_fill_mode(const bench_options& options) {
  const auto server = resolve_server(options.url);
  if (options.create_pool_seats)
    admin_for(options).ensure_pool(options.pool_id, options.edition, *options.create_pool_seats,
                                   "perpetual");
  const auto start = bench_clock::now();
  const auto stats =
      fill_leases(options, server, options.count, options.edition, options.client_prefix);
  const double elapsed = std::chrono::duration<double>(bench_clock::now() - start).count();
  const auto granted = stats.outcome("granted");
  return {{"mode", "fill"},
          {"url", options.url},
          {"edition", options.edition},
          {"threads", options.threads},
          {"connections", options.connections},
          {"count", options.count},
          {"elapsed_seconds", elapsed},
          {"granted", granted},
          {"leases_per_second", static_cast<double>(granted) / elapsed},
          {"transport_errors", stats.transport_errors},
          {"retries", stats.retries},
          {"outcomes", stats.outcomes},
          {"latency", latencies_json(stats)}};
}

}  // namespace vgls::bench
