#include "bench/vgls_bench/cycle_mode.h"

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
#include "bench/vgls_bench/source_addresses.h"

namespace vgls::bench {
namespace {

// One request of a cycle: its latency recorded and its outcome counted; nullopt when no answer
// came back (the connection is closed then and reopened by the loop).
asio::awaitable<std::optional<exchange_result>> timed_exchange(
    bench_connection& connection, const std::string& request, latency_recorder& latency,
    std::string_view ok_name, run_stats& stats, bench_clock::time_point epoch,
    std::optional<bench_clock::time_point> due = std::nullopt) {
  const auto sent = due.value_or(bench_clock::now());
  auto answer = co_await connection.exchange(request);
  const auto done = bench_clock::now();
  if (answer.error) {
    ++stats.transport_errors;
    co_return std::nullopt;
  }
  latency.record(since_ns(epoch, done), done - sent);
  stats.count(outcome_of(answer.status, answer.body, ok_name));
  co_return answer;
}

asio::awaitable<void> cycle_connection(const bench_options& options, const server_endpoint& server,
                                       int index, run_stats& stats, bench_clock::time_point epoch,
                                       bench_clock::time_point deadline) {
  const auto executor = co_await asio::this_coro::executor;
  bench_connection connection(executor, options.timeout);
  const auto source = source_address(options.source_addresses, static_cast<std::uint64_t>(index));
  const std::string client_id = options.client_prefix + "-c" + std::to_string(index);
  const std::string checkout = checkout_request(server.host, client_id, options.edition);
  // std::map nodes stay put, so these references survive other coroutines' insertions.
  auto& checkout_latency = stats.latencies["checkout"];
  auto& renew_latency = stats.latencies["renew"];
  auto& release_latency = stats.latencies["release"];
  auto& cycle_latency = stats.latencies["cycle"];

  // With --rate, connection i starts a cycle every `interval`, its schedule offset by i/N of one.
  const auto interval = options.rate > 0
                            ? std::chrono::duration_cast<bench_clock::duration>(
                                  std::chrono::duration<double>(options.connections / options.rate))
                            : bench_clock::duration::zero();
  auto next_start = bench_clock::now() + interval * index / options.connections;
  asio::steady_timer pacer(executor);

  while (bench_clock::now() < deadline) {
    if (options.rate > 0) {
      if (next_start >= deadline)
        break;
      pacer.expires_at(next_start);
      co_await pacer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (!connection.is_open()) {
      if (auto ec = co_await connection.connect(server.endpoint, source)) {
        ++stats.transport_errors;
        // Do not spin on a server that refuses connections.
        asio::steady_timer pause(executor, std::chrono::milliseconds{20});
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
    }
    // Paced, a cycle counts from when it was due: a server that stalls delays the schedule, and
    // that delay is latency the clients see.
    const auto started = options.rate > 0 ? next_start : bench_clock::now();
    next_start += interval;
    auto granted = co_await timed_exchange(connection, checkout, checkout_latency, "existing",
                                           stats, epoch, started);
    if (!granted || (granted->status != 201 && granted->status != 200))
      continue;
    const auto id = string_field(granted->body, "id");
    if (!id) {
      stats.count("answer_without_lease_id");
      continue;
    }
    const std::string lease_id(*id);
    auto renewed = co_await timed_exchange(connection, renew_request(server.host, lease_id),
                                           renew_latency, "renewed", stats, epoch);
    if (!renewed || renewed->status != 200)
      continue;
    auto released = co_await timed_exchange(connection, release_request(server.host, lease_id),
                                            release_latency, "released", stats, epoch);
    if (!released || released->status != 204)
      continue;
    const auto finished = bench_clock::now();
    cycle_latency.record(since_ns(epoch, finished), finished - started);
    stats.count("cycles");
  }
}

}  // namespace

run_stats cycle_traffic(const bench_options& options, const server_endpoint& server,
                        bench_clock::time_point epoch, bench_clock::time_point deadline) {
  io_threads threads(options.threads);
  std::vector<run_stats> per_thread(threads.size());
  for (int i = 0; i < options.connections; ++i) {
    const auto t = static_cast<std::size_t>(i) % threads.size();
    spawn(threads.context(t), cycle_connection(options, server, i, per_thread[t], epoch, deadline));
  }
  threads.run();
  run_stats total;
  for (const auto& s : per_thread)
    total.merge(s);
  return total;
}

nlohmann::json run_cycle_mode(const bench_options& options) {
  const auto server = resolve_server(options.url);
  if (options.create_pool_seats) {
    admin_for(options).ensure_pool(options.pool_id, options.edition, *options.create_pool_seats,
                                   "perpetual");
  }
  const auto start = bench_clock::now();
  const auto deadline = start + std::chrono::duration_cast<bench_clock::duration>(
                                    std::chrono::duration<double>(options.duration_seconds));
  const auto stats = cycle_traffic(options, server, start, deadline);
  const double elapsed = std::chrono::duration<double>(bench_clock::now() - start).count();

  std::uint64_t requests = 0;
  for (const auto& kind : {"checkout", "renew", "release"}) {
    if (auto it = stats.latencies.find(kind); it != stats.latencies.end())
      requests += it->second.size();
  }
  const auto cycles = stats.outcome("cycles");
  return {{"mode", "cycle"},
          {"url", options.url},
          {"edition", options.edition},
          {"threads", options.threads},
          {"connections", options.connections},
          {"rate", options.rate},
          {"elapsed_seconds", elapsed},
          {"cycles", cycles},
          {"cycles_per_second", static_cast<double>(cycles) / elapsed},
          {"requests", requests},
          {"requests_per_second", static_cast<double>(requests) / elapsed},
          {"transport_errors", stats.transport_errors},
          {"outcomes", stats.outcomes},
          {"latency", latencies_json(stats)}};
}

}  // namespace vgls::bench
