// vgls-agent run against a real vglsd: licensed, visible to the admin, released on SIGTERM,
// READY=1 to systemd; and the one-shot commands' exit codes.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "protocol/time.h"
#include "tests/agent/agent_fixture.h"

using namespace vgls::testing;

namespace {

// A unix datagram socket standing in for systemd's notification socket.
class notify_socket {
 public:
  explicit notify_socket(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof(address.sun_path) - 1);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      throw std::runtime_error("cannot bind " + path_.string());
    }
  }
  ~notify_socket() { ::close(fd_); }
  notify_socket(const notify_socket&) = delete;
  notify_socket& operator=(const notify_socket&) = delete;

  // Every message received within `timeout` until one contains `needle`; those messages.
  std::vector<std::string> receive_until(const std::string& needle,
                                         std::chrono::milliseconds timeout) {
    std::vector<std::string> messages;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd fd{fd_, POLLIN, 0};
      if (::poll(&fd, 1, 100) <= 0) {
        continue;
      }
      char buffer[4096];
      const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        continue;
      }
      messages.emplace_back(buffer, static_cast<std::size_t>(n));
      if (messages.back().find(needle) != std::string::npos) {
        break;
      }
    }
    return messages;
  }

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

bool contains(const std::vector<std::string>& messages, const std::string& needle) {
  for (const auto& message : messages) {
    if (message.find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("agent: licensed, seen by the admin, and SIGTERM frees the seat", "[e2e]") {
  vglsd_process server(server_options(fast_leases_config()));
  agent_process agent(agent_for({server.url()}, "vm-life"));
  agent.start();

  REQUIRE(wait_until([&] { return active_lease_id(server, "vm-life").has_value(); }, generous));
  const auto leases = active_leases(server, "vm-life");
  REQUIRE(leases.size() == 1);
  CHECK(leases[0]["edition"] == "vWS");
  CHECK(leases[0]["pool_id"] == "trial-vws");
  CHECK(pool_used(server, "trial-vws") == 1);

  // `status` sees the same lease and exits 0.
  REQUIRE(wait_until([&] { return agent.status().value("licensed", false); }, generous));
  const auto status = agent.status();
  CHECK(status["lease_id"] == leases[0]["id"]);
  CHECK(status["server"] == server.url());
  CHECK(status["edition"] == "vWS");
  CHECK(agent.command("status").exit_status == 0);

  // A second `run` on the same state dir refuses to start.
  const auto second = agent.command("run");
  CHECK(second.exit_status == 2);
  CHECK_THAT(second.output, Catch::Contains("another vgls-agent run"));

  const auto exit_status = agent.stop();
  REQUIRE(exit_status);
  CHECK(*exit_status == 0);
  CHECK_FALSE(active_lease_id(server, "vm-life"));
  CHECK(pool_used(server, "trial-vws") == 0);
  // The state is cleared: status says not licensed.
  CHECK(agent.command("status").exit_status == 1);
  CHECK_FALSE(std::filesystem::exists(agent.state_dir() / "lease.json"));
}

TEST_CASE("agent: READY=1 reaches NOTIFY_SOCKET once licensed", "[e2e]") {
  temp_dir dir("vgls-notify");
  notify_socket socket(dir / "notify.sock");
  vglsd_process server(server_options(fast_leases_config()));
  auto options = agent_for({server.url()}, "vm-notify");
  options.env = {{"NOTIFY_SOCKET", socket.path().string()}};
  agent_process agent(options);
  agent.start();

  const auto messages = socket.receive_until("READY=1", generous);
  REQUIRE(contains(messages, "READY=1"));
  // By the time it says ready, the server holds its lease.
  CHECK(active_lease_id(server, "vm-notify").has_value());
  CHECK(contains(messages, "STATUS="));

  agent.stop();
  CHECK(contains(socket.receive_until("STOPPING=1", generous), "STOPPING=1"));
}

TEST_CASE("agent: SIGTERM while still checking out exits 0 promptly", "[e2e]") {
  // Nothing listens on this port: the agent keeps retrying until told to stop.
  auto options = agent_for({"http://127.0.0.1:" + std::to_string(free_port())}, "vm-nowhere");
  // A long backoff, so the stop has to interrupt a wait.
  options.retry_max_seconds = 60;
  agent_process agent(options);
  agent.start();
  REQUIRE(
      wait_until([&] { return agent.log().find("checkout from") != std::string::npos; }, generous));
  const auto exit_status = agent.stop(std::chrono::seconds(10));
  REQUIRE(exit_status);
  CHECK(*exit_status == 0);
}

TEST_CASE("agent: configuration errors exit 2", "[e2e]") {
  SECTION("neither an edition nor a profile") {
    agent_process agent(agent_for({"http://127.0.0.1:7070"}, "vm-1", ""));
    // No nvidia-smi on the test machine's PATH is assumed to exist with a vGPU.
    const auto result = agent.command("run", {"--vgpu-profile", "auto"});
    if (result.exit_status != 2) {
      WARN("nvidia-smi on this machine reports a GPU; skipped");
    } else {
      CHECK_THAT(result.output, Catch::Contains("edition"));
    }
  }
  SECTION("no server") {
    agent_process agent(agent_for({}, "vm-1"));
    CHECK(agent.command("run").exit_status == 2);
  }
  SECTION("a bad config file") {
    auto options = agent_for({"http://127.0.0.1:7070"}, "vm-1");
    options.extra_config = "bogus = 1\n";
    agent_process agent(options);
    const auto result = agent.command("checkout");
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.output, Catch::Contains("bogus"));
  }
}

TEST_CASE("agent: one-shot checkout, status and release", "[e2e]") {
  vglsd_process server(server_options(fast_leases_config(60)));
  agent_process agent(agent_for({server.url()}, "vm-once", "vpc"));

  auto checkout = agent.command("checkout");
  REQUIRE(checkout.exit_status == 0);
  const auto id = active_lease_id(server, "vm-once");
  REQUIRE(id);
  CHECK_THAT(checkout.output, Catch::Contains(*id));

  auto status = agent.status();
  CHECK(status["licensed"] == true);
  CHECK(status["lease_id"] == *id);
  CHECK(status["requested_edition"] == "vPC");

  // Checking out again gets the same lease back (the server's rule), not a second seat.
  REQUIRE(agent.command("checkout").exit_status == 0);
  CHECK(active_leases(server, "vm-once").size() == 1);
  CHECK(active_lease_id(server, "vm-once") == id);

  CHECK(agent.command("release").exit_status == 0);
  CHECK_FALSE(active_lease_id(server, "vm-once"));
  CHECK(agent.command("status").exit_status == 1);
  // Nothing held: release has nothing to do and says so.
  CHECK(agent.command("release").exit_status == 0);
}

TEST_CASE("agent: one-shot exit codes: 1 refused, 3 unreachable", "[e2e]") {
  SECTION("refused: no pool serves the edition") {
    vglsd_process server(server_options(fast_leases_config(60, false)));
    agent_process agent(agent_for({server.url()}, "vm-refused"));
    const auto result = agent.command("checkout");
    CHECK(result.exit_status == 1);
    CHECK_THAT(result.output, Catch::Contains("no_pool_for_edition"));
  }
  SECTION("unreachable") {
    agent_process agent(
        agent_for({"http://127.0.0.1:" + std::to_string(free_port())}, "vm-unreachable"));
    CHECK(agent.command("checkout").exit_status == 3);
  }
}
