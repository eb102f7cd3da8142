// Start-up, configuration checks and graceful stop of the real vglsd.
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

#include "tests/server/e2e_steps.h"
#include "tests/server/raw_socket.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

TEST_CASE("SIGTERM: exit 0, and what was acknowledged is there after a restart",
          "[e2e][lifecycle]") {
  vglsd_process server;
  auto c = server.client();
  auto lease = checkout(*c, "vm-1", "vWS");
  REQUIRE(lease.status == 201);
  // An idle keep-alive connection must not hold the stop up.
  raw_socket idle(server.port());
  CHECK(server.terminate() == 0);
  CHECK(server.log().find("vglsd stopped") != std::string::npos);

  server.start();
  CHECK(call_json(*server.client(), "GET",
                  "/v1/leases/" + lease.body["lease"]["id"].get<std::string>())
            .status == 200);
}

TEST_CASE("SIGTERM under load: exit 0, and every answered checkout is durable",
          "[e2e][lifecycle]") {
  vglsd_process server(configured(no_trial(
      "[[pool]]\nid = \"load\"\nedition = \"vPC\"\nseats = 100000\nkind = \"perpetual\"\n")));
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto c = server.client();
      for (int i = 0; !stop.load(); ++i) {
        auto raw = c->request(
            "POST", "/v1/leases",
            nlohmann::json{{"client_id", "vm-" + std::to_string(t) + "-" + std::to_string(i)},
                           {"edition", "vPC"}}
                .dump());
        auto* answer = std::get_if<vgls::client::http_response>(&raw);
        if (!answer)
          break;
        if (answer->status == 201) {
          std::lock_guard lock(mutex);
          acknowledged.insert(
              nlohmann::json::parse(answer->body)["lease"]["id"].get<std::string>());
        }
      }
    });
  }
  wait_until(
      [&] {
        std::lock_guard lock(mutex);
        return acknowledged.size() >= 100;
      },
      30s);
  CHECK(server.terminate() == 0);
  stop.store(true);
  for (auto& t : threads)
    t.join();

  server.start();
  auto c = server.client();
  for (const auto& id : acknowledged) {
    INFO(id);
    CHECK(call_json(*c, "GET", "/v1/leases/" + id).status == 200);
  }
}

TEST_CASE("a body sent after Expect: 100-continue is read", "[e2e][lifecycle]") {
  vglsd_process server;
  raw_socket s(server.port());
  const std::string body = R"({"client_id":"vm-1","edition":"vWS"})";
  s.send(
      "POST /v1/leases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n");
  s.send(body);
  const auto answer = s.read_until_close(5s);
  CHECK(answer.find("HTTP/1.1 100 Continue") == 0);
  CHECK(answer.find("HTTP/1.1 201") != std::string::npos);
}

TEST_CASE("vglsd --check-config accepts a good file and names the line and key of a bad one",
          "[e2e][lifecycle]") {
  temp_dir dir;
  write_file(dir / "good.toml", "[server]\nmax_connections = 10\n[leases]\nduration = \"1h\"\n");
  auto good = run_program(
      {VGLS_VGLSD_BIN, "--config", (dir / "good.toml").string(), "--check-config"}, 30s);
  CHECK(good.exit_status == 0);

  write_file(dir / "bad.toml", "[server]\nlisten = \"0.0.0.0:7070\"\nmax_conections = 10\n");
  auto bad =
      run_program({VGLS_VGLSD_BIN, "--config", (dir / "bad.toml").string(), "--check-config"}, 30s);
  CHECK(bad.exit_status == 1);
  CHECK(bad.output.find("bad.toml:3: server.max_conections: unknown key") != std::string::npos);
  CHECK(bad.output.find("the configuration is not valid") != std::string::npos);
  CHECK(bad.output.find("did not start") == std::string::npos);  // it was never meant to

  // The same file stops a real start.
  auto start = run_program(
      {VGLS_VGLSD_BIN, "--config", (dir / "bad.toml").string(), "--listen",
       "127.0.0.1:" + std::to_string(free_port()), "--data-dir", (dir / "data").string()},
      30s);
  CHECK(start.exit_status == 1);
  CHECK(start.output.find("server.max_conections") != std::string::npos);
  CHECK(start.output.find("did not start") != std::string::npos);

  write_file(dir / "perpetual.toml",
             "[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"perpetual\"\n"
             "expires_at = \"2027-06-30T00:00:00Z\"\n");
  auto perpetual = run_program(
      {VGLS_VGLSD_BIN, "--config", (dir / "perpetual.toml").string(), "--check-config"}, 30s);
  CHECK(perpetual.exit_status == 1);
  CHECK(perpetual.output.find("perpetual.toml:6: pool.expires_at") != std::string::npos);

  auto missing = run_program(
      {VGLS_VGLSD_BIN, "--config", (dir / "none.toml").string(), "--check-config"}, 30s);
  CHECK(missing.exit_status == 1);
  CHECK(missing.output.find("none.toml") != std::string::npos);

  // Files the configuration names are checked too.
  write_file(dir / "tls.toml",
             "[server]\ntls_cert = \"/nonexistent/server.crt\"\ntls_key = \"/nonexistent/k\"\n");
  auto tls =
      run_program({VGLS_VGLSD_BIN, "--config", (dir / "tls.toml").string(), "--check-config"}, 30s);
  CHECK(tls.exit_status == 1);
  CHECK(tls.output.find("/nonexistent/server.crt") != std::string::npos);

  auto version = run_program({VGLS_VGLSD_BIN, "--version"}, 30s);
  CHECK(version.exit_status == 0);
  CHECK(version.output.find("vglsd ") == 0);

  auto bad_flag = run_program({VGLS_VGLSD_BIN, "--no-such-flag"}, 30s);
  CHECK(bad_flag.exit_status == 2);
}

TEST_CASE("a port in use is reported with the address and what to do", "[e2e][lifecycle]") {
  vglsd_process first;
  temp_dir dir;
  auto second =
      run_program({VGLS_VGLSD_BIN, "--listen", "127.0.0.1:" + std::to_string(first.port()),
                   "--data-dir", (dir / "data").string()},
                  30s);
  CHECK(second.exit_status == 1);
  CHECK(second.output.find("127.0.0.1:" + std::to_string(first.port())) != std::string::npos);
  CHECK(second.output.find("in use") != std::string::npos);
  CHECK(call(*first.client(), "GET", "/healthz").status == 200);
}

TEST_CASE("the admin token is generated once, mode 0600, and its path logged", "[e2e][lifecycle]") {
  vglsd_process server;
  const auto file = server.data_dir() / "admin.token";
  REQUIRE(std::filesystem::exists(file));
  const auto perms = std::filesystem::status(file).permissions();
  CHECK((perms & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  const auto token = server.admin_token();
  CHECK(token.size() >= 32);
  CHECK(server.log().find(file.string()) != std::string::npos);
  server.restart();
  CHECK(server.admin_token() == token);

  temp_dir dir;
  write_file(dir / "admin.token", "my-own-admin-token\n");
  vglsd_process own_token(
      configured("[server]\nadmin_token_file = \"" + (dir / "admin.token").string() + "\"\n"));
  vgls::client::client_options options;
  options.bearer_token = "my-own-admin-token";
  vgls::client::http_client admin(*vgls::client::parse_server_url(own_token.url()), options);
  CHECK(call(admin, "GET", "/v1/pools").status == 200);
}

TEST_CASE("under systemd, vglsd says READY=1 once it serves", "[e2e][lifecycle]") {
  temp_dir dir;
  const auto socket_path = (dir / "notify.sock").string();
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socket_path.c_str());
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);

  vglsd_options options;
  options.env["NOTIFY_SOCKET"] = socket_path;
  vglsd_process server(options);
  char buffer[256] = {};
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  const auto n = ::recv(fd, buffer, sizeof buffer - 1, 0);
  ::close(fd);
  REQUIRE(n > 0);
  CHECK(std::string(buffer, static_cast<std::size_t>(n)).find("READY=1") != std::string::npos);
}

TEST_CASE("SIGHUP is logged and the server carries on", "[e2e][lifecycle]") {
  vglsd_process server;
  REQUIRE(::kill(server.pid(), SIGHUP) == 0);
  CHECK(wait_until([&] { return server.log().find("SIGHUP") != std::string::npos; }, 10s));
  CHECK(server.running());
  CHECK(call(*server.client(), "GET", "/healthz").status == 200);
  CHECK(call(*server.client(), "HEAD", "/healthz").status == 405);
}
