// Everything the command line of vgls-bench says, for every mode. Each mode reads the fields it
// needs and ignores the rest. A plain value; copy freely.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace vgls::bench {

struct bench_options {
  std::string mode;  // cycle, bootstorm, fill, expire-storm
  std::string url = "http://127.0.0.1:7070";
  int threads = 1;  // io_contexts, one thread each
  bool json = false;

  // Checkouts.
  std::string edition = "vWS";
  std::string client_prefix;  // default: "b<pid>", so two runs never share client ids
  std::chrono::milliseconds timeout{10000};

  // Setup through the admin API; needs the admin token.
  std::optional<std::string> admin_token_file;
  std::optional<std::int64_t> create_pool_seats;  // create (or resize) a perpetual pool
  std::string pool_id;                            // default: "bench-<edition>"

  // Loopback source addresses 127.0.0.1 .. 127.0.0.K for new connections; 0 = let the kernel
  // choose (one address). Each address gives its own range of ephemeral ports.
  int source_addresses = 0;

  // cycle, expire-storm: keep-alive connections; fill: connections used to create leases.
  int connections = 64;
  double duration_seconds = 10;
  // cycle, expire-storm: cycles per second over all connections, each connection starting its
  // cycles on a fixed schedule (latency then counts from the scheduled start, so a stalled server
  // is not hidden); 0 = every connection as fast as answers come (closed loop).
  double rate = 0;

  // bootstorm: clients, each on its own new connection; at most `concurrency` at once.
  std::int64_t clients = 1000;
  int concurrency = 10000;
  int retries = 3;  // per client, after a transport error (connection refused, reset, timeout)

  // fill, expire-storm: leases to create.
  std::int64_t count = 10000;

  // expire-storm: a pool of `count` seats of `storm_edition` whose expiry ends every lease in it
  // at one moment, `storm_in_seconds` after the start; cycle traffic runs until `after_seconds`
  // past that moment, and `storm_window_seconds` from it is the window reported as the storm.
  std::string storm_edition = "vApp";
  std::string storm_pool_id = "bench-storm";
  double storm_in_seconds = 30;
  double after_seconds = 10;
  double storm_window_seconds = 5;
};

}  // namespace vgls::bench
