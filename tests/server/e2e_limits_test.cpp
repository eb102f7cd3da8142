// Connection cap, rate limit, TLS.
#include <catch2/catch.hpp>
#include <csignal>
#include <memory>
#include <thread>

#include "tests/server/e2e_steps.h"
#include "tests/server/raw_socket.h"

using namespace vgls::testing;
using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE("at max_connections new connections are closed and the rest keep being served",
          "[e2e][limits]") {
  vglsd_process server(configured("[server]\nmax_connections = 5\n"));
  std::vector<std::unique_ptr<raw_socket>> held;
  for (int i = 0; i < 5; ++i)
    held.push_back(std::make_unique<raw_socket>(server.port()));

  // The start-up probe's connection may take a moment to be noticed as closed; then the sixth
  // connection is one too many.
  bool refused = false;
  for (int attempt = 0; attempt < 50 && !refused; ++attempt) {
    raw_socket extra(server.port());
    extra.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto answer = extra.read_until_close(2s);
    refused = answer.empty();
  }
  CHECK(refused);

  held[0]->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto answer = held[0]->read_until_close(500ms);
  CHECK(answer.find("HTTP/1.1 200") == 0);

  held.clear();  // free the slots
  CHECK(wait_until([&] { return call(*server.client(), "GET", "/healthz").status == 200; }, 10s));
}

TEST_CASE("over the rate limit: 429 with Retry-After; /healthz and /metrics are exempt",
          "[e2e][limits]") {
  // One request per 5 s per address: the second of two quick requests is over.
  vglsd_process server(configured("[server]\nrate_limit = 0.2\n"));
  auto c = server.client();
  auto first = checkout(*c, "vm-1", "vWS");
  CHECK(first.status == 201);
  auto second = checkout(*c, "vm-2", "vWS");
  CHECK(second.status == 429);
  CHECK(error_code_of(second) == "rate_limited");
  CHECK(second.body["error"]["message"] == "more than 0.2 requests per second from this address");
  CHECK(std::stoi(second.raw.header("Retry-After")) >= 1);
  for (int i = 0; i < 5; ++i) {
    CHECK(call(*c, "GET", "/healthz").status == 200);
    CHECK(call(*c, "GET", "/metrics").status == 200);
  }
  // Checks before the rate limit still answer first: 404 and 405 are not rate limited away.
  CHECK(call(*c, "GET", "/nothing").status == 404);
  CHECK(call(*c, "PUT", "/v1/leases").status == 405);
  CHECK(call(*c, "GET", "/v1/pools").status == 401);
  CHECK(used_of(*server.admin_client(), "trial-vws") <= 1);
}

TEST_CASE("with tls_cert and tls_key the port speaks TLS", "[e2e][limits]") {
  temp_dir dir;
  const auto cert = dir / "server.crt";
  const auto key = dir / "server.key";
  auto made = run_program({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                           "-keyout", key.string(), "-out", cert.string(), "-days", "2", "-subj",
                           "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
                          60s);
  REQUIRE(made.exit_status == 0);

  vglsd_process server(configured(
      "[server]\ntls_cert = \"" + cert.string() + "\"\ntls_key = \"" + key.string() + "\"\n",
      std::nullopt, false));
  child_process process(
      {VGLS_VGLSD_BIN, "--config", server.config_file().string(), "--listen",
       "127.0.0.1:" + std::to_string(server.port()), "--data-dir", server.data_dir().string()},
      server.dir() / "tls.log");
  vgls::client::client_options options;
  options.ca_file = cert.string();
  vgls::client::http_client https(
      *vgls::client::parse_server_url("https://127.0.0.1:" + std::to_string(server.port())),
      options);
  REQUIRE(wait_until(
      [&] {
        auto r = https.request("GET", "/healthz");
        return std::holds_alternative<vgls::client::http_response>(r) &&
               std::get<vgls::client::http_response>(r).status == 200;
      },
      30s));
  auto lease = checkout(https, "vm-1", "vWS");
  CHECK(lease.status == 201);
  CHECK(lease.body["lease"]["pool_id"] == "trial-vws");

  // Plain HTTP on a TLS port gets nothing useful, and the server carries on.
  vgls::client::http_client plain(
      *vgls::client::parse_server_url("http://127.0.0.1:" + std::to_string(server.port())),
      vgls::client::client_options{});
  auto refused = plain.request("GET", "/healthz");
  auto* answer = std::get_if<vgls::client::http_response>(&refused);
  CHECK((answer == nullptr || answer->status != 200));
  CHECK(call(https, "GET", "/healthz").status == 200);

  process.send_signal(SIGTERM);
  CHECK(process.wait_for_exit(20s) == 0);
}

TEST_CASE("out of file descriptors, the accept loop waits and recovers", "[e2e][limits]") {
  temp_dir dir;
  const int port = free_port();
  // 64 descriptors: the database and a few dozen connections, then accept() fails with EMFILE.
  child_process process(
      {"/usr/bin/prlimit", "--nofile=64:64", VGLS_VGLSD_BIN, "--listen",
       "127.0.0.1:" + std::to_string(port), "--data-dir", (dir / "data").string()},
      dir / "vglsd.log");
  vgls::client::http_client probe(
      *vgls::client::parse_server_url("http://127.0.0.1:" + std::to_string(port)),
      vgls::client::client_options{});
  auto healthy = [&] {
    auto r = probe.request("GET", "/healthz");
    return std::holds_alternative<vgls::client::http_response>(r) &&
           std::get<vgls::client::http_response>(r).status == 200;
  };
  REQUIRE(wait_until(healthy, 30s));
  {
    std::vector<std::unique_ptr<raw_socket>> flood;
    for (int i = 0; i < 120; ++i)
      flood.push_back(std::make_unique<raw_socket>(port));
    // Give the accept loop time to run out of descriptors.
    wait_until(
        [&] { return process.output().find("accepting a connection failed") != std::string::npos; },
        10s);
  }
  CHECK(process.output().find("accepting a connection failed") != std::string::npos);
  CHECK(process.running());
  vgls::client::http_client fresh(
      *vgls::client::parse_server_url("http://127.0.0.1:" + std::to_string(port)),
      vgls::client::client_options{});
  CHECK(wait_until(
      [&] {
        auto r = fresh.request("POST", "/v1/leases", R"({"client_id":"vm-1","edition":"vWS"})");
        return std::holds_alternative<vgls::client::http_response>(r) &&
               std::get<vgls::client::http_response>(r).status == 201;
      },
      30s));
  process.send_signal(SIGTERM);
  CHECK(process.wait_for_exit(20s) == 0);
}
