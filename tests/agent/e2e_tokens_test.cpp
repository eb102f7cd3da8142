// The agent and signed lease tokens (SPEC §8), with real vglsd and vgls-agent processes: the agent
// keeps the token with its lease, pins the server's keys at its first checkout (or trusts
// trusted_keys_file), and refuses a token that is tampered with, names another client, or is
// signed by a key it does not trust. The token verifies with the openssl command too.
#include <catch2/catch.hpp>

#include "protocol/lease_token.h"
#include "tests/agent/agent_fixture.h"

using namespace vgls::testing;
using nlohmann::json;

namespace {

json read_json(const std::filesystem::path& file) {
  return json::parse(read_file(file));
}

// The JSON document of a command's output (logs may come before it).
json output_json(const run_result& result) {
  const auto start = result.output.find('{');
  if (start == std::string::npos)
    return nullptr;
  return json::parse(result.output.substr(start), nullptr, false);
}

// `openssl pkeyutl -verify -rawin` over the signing input, with the JWK's raw public key.
bool openssl_verifies(const std::filesystem::path& dir, const std::string& token,
                      const std::string& x) {
  const auto second = token.rfind('.');
  const auto signature = vgls::protocol::base64url_decode(token.substr(second + 1));
  const auto raw = vgls::protocol::base64url_decode(x);
  REQUIRE(signature);
  REQUIRE(raw);
  write_file(dir / "pub.der",
             std::string("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12) + *raw);
  write_file(dir / "input", token.substr(0, second));
  write_file(dir / "sig", *signature);
  const auto r = run_program({VGLS_OPENSSL_BIN, "pkeyutl", "-verify", "-rawin", "-pubin",
                              "-keyform", "DER", "-inkey", (dir / "pub.der").string(), "-in",
                              (dir / "input").string(), "-sigfile", (dir / "sig").string()},
                             generous);
  return r.exit_status == 0;
}

// Replaces the claims of the state file's token with `change` applied (the signature kept).
void tamper_with_state(const std::filesystem::path& state_dir,
                       const std::function<void(json&)>& change) {
  auto state = read_json(state_dir / "lease.json");
  std::string token = state["lease"]["token"];
  const auto first = token.find('.');
  const auto second = token.rfind('.');
  auto claims =
      json::parse(*vgls::protocol::base64url_decode(token.substr(first + 1, second - first - 1)));
  change(claims);
  token = token.substr(0, first + 1) + vgls::protocol::base64url_encode(claims.dump()) +
          token.substr(second);
  state["lease"]["token"] = token;
  write_file(state_dir / "lease.json", state.dump());
}

}  // namespace

TEST_CASE("the agent pins the keys, keeps the token, and status --verify checks it",
          "[e2e][agent][signing]") {
  vglsd_process server(server_options(fast_leases_config(600)));
  agent_process agent(agent_for({server.url()}, "vm-signed"));
  const auto checked_out = agent.command("checkout");
  INFO(checked_out.output);
  REQUIRE(checked_out.exit_status == 0);

  // Pinned: exactly the server's JWKS, under its URL.
  const auto pinned = read_json(agent.state_dir() / "keys.json");
  const auto published = call_json(*server.client(), "GET", "/v1/keys").body;
  CHECK(pinned["servers"][server.url()]["keys"] == published["keys"]);

  // `token` prints what the state file holds, which is the server's answer.
  const auto printed = agent.command("token");
  REQUIRE(printed.exit_status == 0);
  const auto state = read_json(agent.state_dir() / "lease.json");
  const std::string token = state["lease"]["token"];
  CHECK_THAT(printed.output, Catch::Contains(token));
  if (!std::string(VGLS_OPENSSL_BIN).empty()) {
    CHECK(openssl_verifies(agent.dir(), token, published["keys"][0]["x"]));
  }

  const auto verified = agent.command("status", {"--verify"});
  INFO(verified.output);
  CHECK(verified.exit_status == 0);
  CHECK(output_json(verified)["verified"] == true);

  SECTION("a tampered token is refused") {
    tamper_with_state(agent.state_dir(),
                      [](json& c) { c["exp"] = c["exp"].get<long long>() + 86400; });
    const auto r = agent.command("status", {"--verify"});
    CHECK(r.exit_status == 1);
    CHECK_THAT(output_json(r)["reason"].get<std::string>(), Catch::Contains("does not verify"));
  }
  SECTION("a token for another client is refused") {
    agent_process other(agent_for({server.url()}, "vm-other"));
    std::filesystem::create_directories(other.state_dir());
    std::filesystem::copy_file(agent.state_dir() / "lease.json", other.state_dir() / "lease.json");
    std::filesystem::copy_file(agent.state_dir() / "keys.json", other.state_dir() / "keys.json");
    const auto r = other.command("status", {"--verify"});
    CHECK(r.exit_status == 1);
    CHECK_THAT(output_json(r)["reason"].get<std::string>(),
               Catch::Contains("for client vm-signed"));
  }
  SECTION("another installation answering at the pinned URL is refused") {
    // The same URL, now served by a vglsd with a database (and key) of its own.
    const int port = server.port();
    server.terminate();
    auto options = server_options(fast_leases_config(600));
    options.port = port;
    vglsd_process impostor(options);
    const auto r = agent.command("checkout");
    CHECK(r.exit_status == 1);
    CHECK_THAT(r.output, Catch::Contains("lease token refused"));
    CHECK(agent.command("status", {"--verify"}).exit_status == 0);  // the held lease is unchanged
  }
}

TEST_CASE("trusted_keys_file: only those keys are trusted", "[e2e][agent][signing]") {
  vglsd_process server(server_options(fast_leases_config(600)));
  vglsd_process other(server_options(fast_leases_config(600)));
  temp_dir files("vgls-trust");
  write_file(files / "right.json", call_json(*server.client(), "GET", "/v1/keys").raw.body);
  write_file(files / "wrong.json", call_json(*other.client(), "GET", "/v1/keys").raw.body);

  auto trusting = agent_for({server.url()}, "vm-trust");
  trusting.extra_config = "trusted_keys_file = \"" + (files / "right.json").string() + "\"\n";
  agent_process good(trusting);
  REQUIRE(good.command("checkout").exit_status == 0);
  CHECK(good.command("status", {"--verify"}).exit_status == 0);
  CHECK_FALSE(std::filesystem::exists(good.state_dir() / "keys.json"));

  auto mistrusting = agent_for({server.url()}, "vm-mistrust");
  mistrusting.extra_config = "trusted_keys_file = \"" + (files / "wrong.json").string() + "\"\n";
  agent_process bad(mistrusting);
  const auto r = bad.command("checkout");
  CHECK(r.exit_status == 1);
  CHECK_THAT(r.output, Catch::Contains("unknown key"));
}

TEST_CASE("a running agent follows a key rotation of its installation", "[e2e][agent][signing]") {
  vglsd_process server(server_options(fast_leases_config(4)));
  agent_process agent(agent_for({server.url()}, "vm-rotate"));
  agent.start();
  REQUIRE(
      wait_until([&] { return agent.command("status", {"--verify"}).exit_status == 0; }, generous));
  auto rotated = call_json(*server.admin_client(), "POST", "/v1/keys/rotate");
  REQUIRE(rotated.status == 200);
  const std::string new_kid = rotated.body["keys"][0]["kid"];
  // The next renewal's token is signed by the new key; the agent pins it and stays verified.
  REQUIRE(wait_until(
      [&] {
        const auto pins = read_file(agent.state_dir() / "keys.json");
        return pins.find(new_kid) != std::string::npos &&
               agent.command("status", {"--verify"}).exit_status == 0;
      },
      generous));
  CHECK(agent.stop() == 0);
  CHECK_THAT(agent.log(), !Catch::Contains("treated as not held"));
}
