#include "bench/vgls_bench/command_line.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <string>

namespace vgls::bench {

std::optional<bench_options> parse_command_line(int argc, char** argv, int& exit_code) {
  bench_options o;
  CLI::App app{
      "vgls-bench: load generator for vgls.\n"
      "  cycle         check out -> renew -> release, looping on each keep-alive connection\n"
      "  bootstorm     N clients, each on its own new connection, all checking out at once\n"
      "  fill          bring the store to N active leases\n"
      "  expire-storm  N leases expiring at one moment while cycle traffic runs"};
  app.add_option("mode", o.mode, "cycle | bootstorm | fill | expire-storm")
      ->required()
      ->check(CLI::IsMember({"cycle", "bootstorm", "fill", "expire-storm"}));
  app.add_option("--url", o.url, "server URL (plain HTTP)")->capture_default_str();
  app.add_option("--threads", o.threads, "io_contexts, one thread each")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_flag("--json", o.json, "print the result as one JSON object");
  app.add_option("--edition", o.edition, "edition checked out")->capture_default_str();
  app.add_option("--client-prefix", o.client_prefix,
                 "client ids are PREFIX-INDEX (default b<pid>)");
  int timeout_ms = static_cast<int>(o.timeout.count());
  app.add_option("--timeout-ms", timeout_ms, "per connect and per request")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  app.add_option("--admin-token-file", o.admin_token_file, "admin token, for setup and checks");
  app.add_option("--create-pool", o.create_pool_seats,
                 "create (or resize) a perpetual pool of SEATS seats of --edition first")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{10'000'000}));
  app.add_option("--pool-id", o.pool_id, "id of that pool (default bench-<edition>)");
  app.add_option("--source-addresses", o.source_addresses,
                 "bind new connections to 127.0.0.1..127.0.0.K (0: kernel's choice; bootstorm "
                 "picks one per 16,000 clients when 0)")
      ->check(CLI::Range(0, 254))
      ->capture_default_str();
  app.add_option("--connections", o.connections, "keep-alive connections (cycle, fill, storm)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--duration", o.duration_seconds, "seconds of cycle traffic")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  app.add_option("--rate", o.rate, "cycles per second over all connections; 0 = flat out")
      ->check(CLI::Range(0.0, 10'000'000.0))
      ->capture_default_str();
  app.add_option("--clients", o.clients, "bootstorm clients")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{10'000'000}))
      ->capture_default_str();
  app.add_option("--concurrency", o.concurrency, "bootstorm connections open at once at most")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--retries", o.retries, "bootstorm retries per client after a transport error")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  app.add_option("--count", o.count, "leases to create (fill, expire-storm)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{10'000'000}))
      ->capture_default_str();
  app.add_option("--storm-edition", o.storm_edition, "edition of the expiring leases")
      ->capture_default_str();
  app.add_option("--storm-pool", o.storm_pool_id, "id of the pool whose expiry is the storm")
      ->capture_default_str();
  app.add_option("--storm-in", o.storm_in_seconds, "seconds from start to the storm")
      ->check(CLI::Range(2.0, 3600.0))
      ->capture_default_str();
  app.add_option("--after", o.after_seconds, "seconds of cycle traffic after the storm")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  app.add_option("--storm-window", o.storm_window_seconds, "seconds reported as the storm")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    exit_code = app.exit(e) == 0 ? 0 : 2;
    return std::nullopt;
  }
  o.timeout = std::chrono::milliseconds{timeout_ms};
  if (o.client_prefix.empty())
    o.client_prefix = "b" + std::to_string(::getpid());
  if (o.pool_id.empty()) {
    o.pool_id = "bench-" + o.edition;
    std::transform(o.pool_id.begin(), o.pool_id.end(), o.pool_id.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  return o;
}

}  // namespace vgls::bench
