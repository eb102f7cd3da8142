#include "bench/vgls_bench/bootstorm_mode.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

#include "bench/vgls_bench/admin_setup.h"
#include "bench/vgls_bench/answer_fields.h"
#include "bench/vgls_bench/bench_connection.h"
#include "bench/vgls_bench/io_threads.h"
#include "bench/vgls_bench/report.h"
#include "bench/vgls_bench/request_text.h"
#include "bench/vgls_bench/run_stats.h"
#include "bench/vgls_bench/server_endpoint.h"
#include "bench/vgls_bench/source_addresses.h"

namespace vgls::bench {
namespace {

struct storm_plan {
  std::int64_t clients = 0;
  int source_addresses = 1;
  bench_clock::time_point start;
  std::atomic<std::int64_t> next_client{0};  // shared by the workers of every thread
};

// One worker stands for a slot of concurrency: it boots clients one after another until none
// are left, each on a new connection that it closes after the answer.
asio::awaitable<void> boot_worker(const bench_options& options, const server_endpoint& server,
                                  storm_plan& plan, run_stats& stats) {
  const auto executor = co_await asio::this_coro::executor;
  auto& checkout_latency = stats.latencies["checkout"];
  auto& time_to_lease = stats.latencies["time_to_lease"];
  for (auto i = plan.next_client++; i < plan.clients; i = plan.next_client++) {
    const auto request = checkout_request(
        server.host, options.client_prefix + "-" + std::to_string(i), options.edition);
    for (int attempt = 0;; ++attempt) {
      bench_connection connection(executor, options.timeout);
      const auto source =
          source_address(plan.source_addresses, static_cast<std::uint64_t>(i + attempt));
      const auto sent = bench_clock::now();
      exchange_result answer;
      answer.error = co_await connection.connect(server.endpoint, source);
      if (!answer.error)
        answer = co_await connection.exchange(request);
      const auto done = bench_clock::now();
      if (answer.error) {
        if (attempt < options.retries) {
          ++stats.retries;
          asio::steady_timer pause(executor, std::chrono::milliseconds{50 * (attempt + 1)});
          co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
          continue;
        }
        ++stats.transport_errors;
        break;
      }
      checkout_latency.record(since_ns(plan.start, done), done - sent);
      stats.count(outcome_of(answer.status, answer.body, "existing"));
      if (answer.status == 201 || answer.status == 200)
        time_to_lease.record(since_ns(plan.start, done), done - plan.start);
      break;
    }
  }
}

}  // namespace

nlohmann::json run_bootstorm_mode(const bench_options& options) {
  const auto server = resolve_server(options.url);
  std::optional<admin_api> admin;
  if (options.admin_token_file)
    admin.emplace(admin_for(options));
  if (options.create_pool_seats)
    admin_for(options).ensure_pool(options.pool_id, options.edition, *options.create_pool_seats,
                                   "perpetual");

  storm_plan plan;
  plan.clients = options.clients;
  plan.source_addresses = options.source_addresses > 0 ? options.source_addresses
                                                       : source_addresses_for(options.clients);
  const auto workers =
      static_cast<int>(std::min<std::int64_t>(options.concurrency, options.clients));

  io_threads threads(options.threads);
  std::vector<run_stats> per_thread(threads.size());
  plan.start = bench_clock::now();
  for (int w = 0; w < workers; ++w) {
    const auto t = static_cast<std::size_t>(w) % threads.size();
    spawn(threads.context(t), boot_worker(options, server, plan, per_thread[t]));
  }
  threads.run();
  const double elapsed = std::chrono::duration<double>(bench_clock::now() - plan.start).count();
  run_stats stats;
  for (const auto& s : per_thread)
    stats.merge(s);

  const auto leased = stats.latencies["time_to_lease"].summarize();
  nlohmann::json result = {{"mode", "bootstorm"},
                           {"url", options.url},
                           {"edition", options.edition},
                           {"threads", options.threads},
                           {"clients", options.clients},
                           {"concurrency", workers},
                           {"source_addresses", plan.source_addresses},
                           {"elapsed_seconds", elapsed},
                           {"licensed", stats.outcome("granted") + stats.outcome("existing")},
                           {"granted", stats.outcome("granted")},
                           {"time_to_last_lease_seconds", leased.max_ms / 1000.0},
                           {"transport_errors", stats.transport_errors},
                           {"retries", stats.retries},
                           {"outcomes", stats.outcomes},
                           {"latency", latencies_json(stats)}};
  if (admin) {
    bool over_seats = false;
    result["pools"] = seat_check(admin->pools(), over_seats);
    result["over_seats"] = over_seats;
  }
  return result;
}

}  // namespace vgls::bench
