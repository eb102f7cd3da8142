// vgls-bench against a real vglsd: each mode used in CI runs to the end, its counts add up, and the
// seat invariant holds. No timing is asserted.
#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "client/http_client.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vglsd_process.h"

namespace {

using vgls::testing::call_json;
using vgls::testing::child_process;
using vgls::testing::free_port;
using vgls::testing::run_program;
using vgls::testing::temp_dir;
using vgls::testing::vglsd_options;
using vgls::testing::vglsd_process;

// No trial pools: the seats are exactly those of the pool the benchmark creates.
constexpr const char* bench_config = R"(
[server]
rate_limit = 0

[trial]
enabled = false
)";

vglsd_options bench_server() {
  vglsd_options options;
  options.config_toml = bench_config;
  return options;
}

// The last line of the output that is a JSON object: --json prints exactly one.
nlohmann::json json_result(const std::string& output) {
  std::istringstream lines(output);
  nlohmann::json result;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.front() == '{') {
      auto parsed = nlohmann::json::parse(line, nullptr, false);
      if (!parsed.is_discarded())
        result = std::move(parsed);
    }
  }
  return result;
}

struct bench_run {
  int exit_status = -1;
  std::string output;
  nlohmann::json result;
};

bench_run run_bench(std::vector<std::string> args) {
  args.insert(args.begin(), VGLS_BENCH_BIN);
  // Bounded by the arguments to a few seconds; the timeout only stops a hung run.
  auto ran = run_program(args, std::chrono::seconds{120});
  return {ran.exit_status, ran.output, json_result(ran.output)};
}

std::uint64_t outcome(const nlohmann::json& result, const std::string& name) {
  return result["outcomes"].value(name, std::uint64_t{0});
}

// A cycle run that ended cleanly: no transport errors, some cycles, and each of a cycle's three
// steps answered once per cycle, every answer a success (every connection finishes the cycle it
// started). Returns the number of cycles.
std::uint64_t check_whole_cycles(const nlohmann::json& r) {
  CHECK(r["transport_errors"].get<std::uint64_t>() == 0);
  const auto cycles = r["cycles"].get<std::uint64_t>();
  CHECK(cycles > 0);
  CHECK(outcome(r, "granted") == cycles);
  CHECK(outcome(r, "renewed") == cycles);
  CHECK(outcome(r, "released") == cycles);
  CHECK(r["outcomes"].size() == 4);  // cycles, granted, renewed, released: no error codes
  return cycles;
}

std::int64_t pool_used(vglsd_process& server, const std::string& id) {
  auto admin = server.admin_client();
  auto answer = call_json(*admin, "GET", "/v1/pools/" + id);
  REQUIRE(answer.status == 200);
  return answer.body["pool"]["used"].get<std::int64_t>();
}

}  // namespace

TEST_CASE("cycle runs check out, renew and release to the end and leaves no lease behind") {
  REQUIRE(std::string(VGLS_BENCH_BIN) != "");
  vglsd_process server(bench_server());
  const auto token_file = (server.data_dir() / "admin.token").string();

  auto run = run_bench({"cycle", "--url", server.url(), "--duration", "2", "--connections", "8",
                        "--admin-token-file", token_file, "--create-pool", "100", "--pool-id",
                        "smoke-cycle", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  REQUIRE(run.result.is_object());
  const auto& r = run.result;

  const auto cycles = check_whole_cycles(r);
  CHECK(r["requests"].get<std::uint64_t>() == 3 * cycles);
  CHECK(r["latency"]["checkout"]["count"].get<std::uint64_t>() == cycles);
  // 8 connections never hold more than 8 seats, and all were released.
  CHECK(pool_used(server, "smoke-cycle") == 0);
}

TEST_CASE("beast-ceiling with lease answers carries full cycles, as the cycle ceiling needs") {
  REQUIRE(std::string(VGLS_BENCH_BIN) != "");
  REQUIRE(std::string(VGLS_BEAST_CEILING_BIN) != "");
  temp_dir dir;
  const int port = free_port();
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  child_process ceiling(
      {VGLS_BEAST_CEILING_BIN, "--listen", "127.0.0.1:" + std::to_string(port), "--lease-answers"},
      dir.path() / "ceiling.log");
  vgls::client::http_client probe(*vgls::client::parse_server_url(url), {});
  REQUIRE(vgls::testing::wait_until(
      [&] {
        return std::holds_alternative<vgls::client::http_response>(probe.request("GET", "/"));
      },
      std::chrono::seconds{10}));

  auto run = run_bench({"cycle", "--url", url, "--duration", "1", "--connections", "4", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  REQUIRE(run.result.is_object());
  // 201 to the checkout, 200 to the renew, 204 to the release: each counted as vglsd's would be.
  check_whole_cycles(run.result);
}

TEST_CASE("bootstorm of 200 clients on 150 seats grants exactly 150 and denies 50") {
  REQUIRE(std::string(VGLS_BENCH_BIN) != "");
  vglsd_process server(bench_server());
  const auto token_file = (server.data_dir() / "admin.token").string();

  auto run =
      run_bench({"bootstorm", "--url", server.url(), "--clients", "200", "--admin-token-file",
                 token_file, "--create-pool", "150", "--pool-id", "smoke-storm", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  REQUIRE(run.result.is_object());
  const auto& r = run.result;

  CHECK(r["transport_errors"].get<std::uint64_t>() == 0);
  CHECK(r["granted"].get<std::uint64_t>() == 150);
  CHECK(r["licensed"].get<std::uint64_t>() == 150);
  CHECK(outcome(r, "no_seat_available") == 50);
  CHECK(r["latency"]["checkout"]["count"].get<std::uint64_t>() == 200);
  CHECK(r["over_seats"].get<bool>() == false);
  CHECK(pool_used(server, "smoke-storm") == 150);
}

TEST_CASE("bootstorm from several loopback source addresses licenses every client") {
  REQUIRE(std::string(VGLS_BENCH_BIN) != "");
  vglsd_process server(bench_server());
  const auto token_file = (server.data_dir() / "admin.token").string();

  auto run = run_bench({"bootstorm", "--url", server.url(), "--clients", "120",
                        "--source-addresses", "3", "--admin-token-file", token_file,
                        "--create-pool", "500", "--pool-id", "smoke-sources", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  const auto& r = run.result;
  CHECK(r["source_addresses"].get<int>() == 3);
  CHECK(r["transport_errors"].get<std::uint64_t>() == 0);
  CHECK(r["granted"].get<std::uint64_t>() == 120);
  CHECK(pool_used(server, "smoke-sources") == 120);
}

TEST_CASE("fill creates exactly the leases asked for") {
  REQUIRE(std::string(VGLS_BENCH_BIN) != "");
  vglsd_process server(bench_server());
  const auto token_file = (server.data_dir() / "admin.token").string();

  auto run = run_bench({"fill", "--url", server.url(), "--count", "300", "--connections", "16",
                        "--admin-token-file", token_file, "--create-pool", "1000", "--pool-id",
                        "smoke-fill", "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  const auto& r = run.result;
  CHECK(r["transport_errors"].get<std::uint64_t>() == 0);
  CHECK(r["granted"].get<std::uint64_t>() == 300);
  CHECK(pool_used(server, "smoke-fill") == 300);
}

TEST_CASE("expire-storm ends every lease of the storm pool while cycles go on") {
  REQUIRE(std::string(VGLS_BENCH_BIN) != "");
  vglsd_process server(bench_server());
  const auto token_file = (server.data_dir() / "admin.token").string();

  auto run = run_bench({"expire-storm",
                        "--url",
                        server.url(),
                        "--count",
                        "50",
                        "--storm-in",
                        "5",
                        "--after",
                        "1",
                        "--storm-window",
                        "1",
                        "--connections",
                        "4",
                        "--admin-token-file",
                        token_file,
                        "--create-pool",
                        "100",
                        "--pool-id",
                        "smoke-cycle",
                        "--json"});
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  const auto& r = run.result;
  CHECK(r["fill"]["granted"].get<std::uint64_t>() == 50);
  CHECK(r["cycle"]["transport_errors"].get<std::uint64_t>() == 0);
  CHECK(r["cycle"]["cycles"].get<std::uint64_t>() > 0);
  CHECK(r["over_seats"].get<bool>() == false);
  // The storm pool held all 50 before its expiry and none after.
  for (const auto& pool : r["pools_before"]) {
    if (pool["id"] == "bench-storm")
      CHECK(pool["used"].get<std::int64_t>() == 50);
  }
  for (const auto& pool : r["pools_after"]) {
    if (pool["id"] == "bench-storm")
      CHECK(pool["used"].get<std::int64_t>() == 0);
  }
  CHECK(pool_used(server, "bench-storm") == 0);
}
