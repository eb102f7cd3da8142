// vgls-agent with a client token and with TLS: the token is presented when configured, and an
// https server is trusted through ca_file.
#include <signal.h>

#include <catch2/catch.hpp>

#include "tests/agent/agent_fixture.h"

using namespace vgls::testing;

TEST_CASE("agent presents the client token when configured", "[e2e][token]") {
  temp_dir secrets("vgls-token");
  write_file(secrets / "client.token", "guest-secret-0123456789\n");
  vglsd_process server(server_options(fast_leases_config(60) +
                                      "\n[server]\nclient_token_file = \"" +
                                      (secrets / "client.token").string() + "\"\n"));

  SECTION("without it the server refuses: exit 1, unauthorized") {
    agent_process agent(agent_for({server.url()}, "vm-no-token"));
    const auto result = agent.command("checkout");
    CHECK(result.exit_status == 1);
    CHECK_THAT(result.output, Catch::Contains("unauthorized"));
  }
  SECTION("with it the agent is licensed") {
    auto options = agent_for({server.url()}, "vm-token");
    options.extra_config = "client_token_file = \"" + (secrets / "client.token").string() + "\"\n";
    agent_process agent(options);
    agent.start();
    REQUIRE(wait_until([&] { return active_lease_id(server, "vm-token").has_value(); }, generous));
    CHECK(agent.stop() == 0);
    CHECK_FALSE(active_lease_id(server, "vm-token"));
  }
}

TEST_CASE("agent talks TLS to an https server it trusts through ca_file", "[e2e][tls]") {
  if (std::string(VGLS_OPENSSL_BIN).empty()) {
    WARN("no openssl command to make a certificate with; skipped");
    return;
  }
  temp_dir dir("vgls-tls");
  const auto made =
      run_program({VGLS_OPENSSL_BIN, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                   "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                   (dir / "server.key").string(), "-out", (dir / "server.crt").string()},
                  generous);
  INFO(made.output);
  REQUIRE(made.exit_status == 0);

  // Started by hand: the support's readiness probe speaks plain HTTP.
  const int port = free_port();
  write_file(dir / "vglsd.toml", fast_leases_config(60) + "\n[server]\ntls_cert = \"" +
                                     (dir / "server.crt").string() + "\"\ntls_key = \"" +
                                     (dir / "server.key").string() + "\"\n");
  child_process server({VGLS_VGLSD_BIN, "--config", (dir / "vglsd.toml").string(), "--listen",
                        "127.0.0.1:" + std::to_string(port), "--data-dir", (dir / "data").string()},
                       dir / "vglsd.log");
  const std::string url = "https://127.0.0.1:" + std::to_string(port);

  auto options = agent_for({url}, "vm-tls");
  options.extra_config = "ca_file = \"" + (dir / "server.crt").string() + "\"\n";
  agent_process trusting(options);
  // The agent's one-shot checkout is the readiness probe: it succeeds once the server listens.
  REQUIRE(wait_until([&] { return trusting.command("checkout").exit_status == 0; }, generous));
  CHECK(trusting.status()["server"] == url);
  CHECK(trusting.command("release").exit_status == 0);

  // Without the CA the certificate is not trusted: no exchange, so "unreachable" (3).
  agent_process doubting(agent_for({url}, "vm-tls-doubt"));
  const auto refused = doubting.command("checkout");
  CHECK(refused.exit_status == 3);

  server.send_signal(SIGTERM);
  CHECK(server.wait_for_exit(generous) == 0);
}
