// Roles and named tokens (SPEC §9) against the real vglsd, on both storage backends: what each
// role reaches, 403 forbidden, the token routes, hashes only in the store, last_used_at, the actor
// of admin events, and the admin token of the configuration.
#include <catch2/catch.hpp>

#include "tests/server/e2e_steps.h"

using namespace vgls::testing;
using nlohmann::json;

namespace {

vgls::client::client_options bearer(const std::string& secret) {
  vgls::client::client_options o;
  o.bearer_token = secret;
  return o;
}

std::unique_ptr<vgls::client::http_client> client_with(const vglsd_process& server,
                                                       const std::string& secret) {
  return std::make_unique<vgls::client::http_client>(*vgls::client::parse_server_url(server.url()),
                                                     bearer(secret));
}

std::string make_token(vgls::client::http_client& admin, const std::string& name,
                       const std::string& role) {
  auto made = call_json(admin, "POST", "/v1/tokens", json{{"name", name}, {"role", role}});
  REQUIRE(made.status == 201);
  CHECK(made.body["token"]["name"] == name);
  CHECK(made.body["token"]["role"] == role);
  CHECK(made.body["token"]["created_at"].is_string());
  const std::string secret = made.body["token"]["secret"];
  CHECK(secret.size() == 64);
  return secret;
}

json token_listed(vgls::client::http_client& c, const std::string& name) {
  auto listed = call_json(c, "GET", "/v1/tokens");
  REQUIRE(listed.status == 200);
  for (const auto& t : listed.body["tokens"]) {
    if (t["name"] == name)
      return t;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("each role reaches its routes, a short role is 403 forbidden", "[e2e][access]") {
  vglsd_process server(configured("[server]\nmetrics_public = false\n"));
  auto admin = server.admin_client();
  auto viewer = client_with(server, make_token(*admin, "dash", "viewer"));
  auto ops = client_with(server, make_token(*admin, "ops", "operator"));
  auto root = client_with(server, make_token(*admin, "root", "admin"));
  auto nobody = client_with(server, std::string(64, 'f'));

  // Viewer: every GET of the admin routes, the status page, the metrics.
  for (const char* target : {"/v1/pools", "/v1/pools/trial-vws", "/v1/leases", "/v1/events",
                             "/v1/usage", "/v1/server", "/v1/tokens", "/metrics", "/"}) {
    CAPTURE(target);
    CHECK(call(*viewer, "GET", target).status == 200);
    CHECK(call(*nobody, "GET", target).status == 401);
  }
  const json pool = {{"id", "p1"}, {"edition", "vWS"}, {"seats", 1}, {"kind", "perpetual"}};
  auto refused = call_json(*viewer, "POST", "/v1/pools", pool);
  CHECK(refused.status == 403);
  CHECK(error_code_of(refused) == "forbidden");
  CHECK(call_json(*ops, "POST", "/v1/pools", pool).status == 403);
  CHECK(call_json(*viewer, "POST", "/v1/keys/rotate").status == 403);
  CHECK(call_json(*ops, "POST", "/v1/tokens", json{{"name", "x"}, {"role", "admin"}}).status ==
        403);

  // Operator revokes; the event names it. A viewer's DELETE is a client's release.
  auto c = server.client();
  const std::string revoked_id = checkout(*c, "vm-a", "vWS").body["lease"]["id"];
  CHECK(call(*ops, "DELETE", "/v1/leases/" + revoked_id).status == 204);
  auto revokes = call_json(*viewer, "GET", "/v1/events?type=lease.revoked");
  REQUIRE(revokes.body["events"].size() == 1);
  CHECK(revokes.body["events"][0]["detail"]["actor"] == "ops");

  // Admin-caused events record the token's name as actor.
  REQUIRE(call_json(*root, "POST", "/v1/pools", pool).status == 201);
  REQUIRE(call_json(*root, "PATCH", "/v1/pools/p1", json{{"seats", 2}}).status == 200);
  auto created = call_json(*viewer, "GET", "/v1/events?type=pool.created");
  REQUIRE(created.status == 200);
  CHECK(created.body["events"].back()["detail"]["actor"] == "root");
  auto updated = call_json(*viewer, "GET", "/v1/events?type=pool.updated");
  CHECK(updated.body["events"].back()["detail"]["actor"] == "root");
  auto made = call_json(*viewer, "GET", "/v1/events?type=token.created");
  CHECK(made.body["events"].back()["detail"]["actor"] == "admin");
}

TEST_CASE("token routes: list without secrets, last_used_at, conflicts, removal", "[e2e][access]") {
  vglsd_process server;
  auto admin = server.admin_client();
  const std::string secret = make_token(*admin, "dash", "viewer");
  auto listed = token_listed(*admin, "dash");
  REQUIRE(listed.is_object());
  CHECK(listed["role"] == "viewer");
  CHECK(listed["last_used_at"].is_null());
  CHECK_FALSE(listed.contains("secret"));
  CHECK(token_listed(*admin, "admin")["role"] == "admin");

  auto viewer = client_with(server, secret);
  REQUIRE(call(*viewer, "GET", "/v1/pools").status == 200);
  CHECK(wait_until([&] { return token_listed(*admin, "dash")["last_used_at"].is_string(); },
                   std::chrono::seconds(30)));

  auto taken = call_json(*admin, "POST", "/v1/tokens", json{{"name", "dash"}, {"role", "admin"}});
  CHECK(taken.status == 409);
  CHECK(error_code_of(taken) == "token_exists");
  auto bad_name =
      call_json(*admin, "POST", "/v1/tokens", json{{"name", "Bad Name"}, {"role", "viewer"}});
  CHECK(bad_name.status == 400);
  CHECK(bad_name.body["error"]["field"] == "name");
  auto bad_role = call_json(*admin, "POST", "/v1/tokens", json{{"name", "x"}, {"role", "root"}});
  CHECK(bad_role.status == 400);
  CHECK(bad_role.body["error"]["field"] == "role");
  CHECK(call_json(*admin, "DELETE", "/v1/tokens/admin").status == 400);
  auto missing = call_json(*admin, "DELETE", "/v1/tokens/nope");
  CHECK(missing.status == 404);
  CHECK(error_code_of(missing) == "token_not_found");

  // Kept across a restart; gone once removed.
  server.restart();
  admin = server.admin_client();
  viewer = client_with(server, secret);
  CHECK(call(*viewer, "GET", "/v1/pools").status == 200);
  CHECK(call(*admin, "DELETE", "/v1/tokens/dash").status == 204);
  CHECK(call(*viewer, "GET", "/v1/pools").status == 401);
  CHECK(token_listed(*admin, "dash").is_null());
}

TEST_CASE("the store keeps only the SHA-256 of a secret", "[e2e][access][sqlite-only]") {
  vglsd_process server;
  auto admin = server.admin_client();
  const std::string secret = make_token(*admin, "dash", "viewer");
  server.terminate();
  for (const auto& entry : std::filesystem::directory_iterator(server.data_dir())) {
    if (entry.path().filename().string().rfind("vgls.db", 0) == 0) {
      CAPTURE(entry.path().string());
      CHECK(read_file(entry.path()).find(secret) == std::string::npos);
    }
  }
}

TEST_CASE("an admin_token_file that differs replaces the stored admin token", "[e2e][access]") {
  vglsd_process server;
  const std::string generated = server.admin_token();
  server.terminate();
  const auto file = server.dir() / "admin.token";
  write_file(file, std::string(64, 'a') + "\n");
  // Appended: on PostgreSQL the file also holds the [storage] table.
  write_file(server.config_file(), read_file(server.config_file()) +
                                       "\n[server]\nadmin_token_file = \"" + file.string() +
                                       "\"\n");
  server.start();
  CHECK_THAT(server.log(), Catch::Contains("replaced"));
  CHECK(call(*client_with(server, std::string(64, 'a')), "GET", "/v1/pools").status == 200);
  CHECK(call(*client_with(server, generated), "GET", "/v1/pools").status == 401);
}

TEST_CASE("a start without a client token warns that anyone can take seats", "[e2e][access]") {
  vglsd_process server;
  CHECK_THAT(server.log(), Catch::Contains("any host that reaches"));
}

TEST_CASE("a taken port leaves nothing behind on disk", "[e2e][access]") {
  vglsd_process holder;
  temp_dir dir("vglsd-taken");
  const auto data = dir / "data";
  const auto r =
      run_program({VGLS_VGLSD_BIN, "--listen", "127.0.0.1:" + std::to_string(holder.port()),
                   "--data-dir", data.string()},
                  std::chrono::seconds(30));
  CHECK(r.exit_status == 1);
  CHECK_THAT(r.output, Catch::Contains("127.0.0.1:" + std::to_string(holder.port())));
  CHECK_FALSE(std::filesystem::exists(data));
}

TEST_CASE("the data dir is 0700 and its files 0600, fixed at start when looser",
          "[e2e][access][sqlite-only]") {
  namespace fs = std::filesystem;
  vglsd_process server;
  const auto mode = [](const fs::path& p) {
    return static_cast<unsigned>(fs::status(p).permissions() & fs::perms::mask);
  };
  CHECK(mode(server.data_dir()) == 0700);
  CHECK(mode(server.data_dir() / "admin.token") == 0600);
  CHECK(mode(server.data_dir() / "vgls.db") == 0600);
  server.terminate();
  fs::permissions(server.data_dir(), fs::perms(0755));
  fs::permissions(server.data_dir() / "vgls.db", fs::perms(0644));
  fs::permissions(server.data_dir() / "admin.token", fs::perms(0644));
  server.start();
  CHECK(mode(server.data_dir()) == 0700);
  CHECK(mode(server.data_dir() / "admin.token") == 0600);
  CHECK(mode(server.data_dir() / "vgls.db") == 0600);
  CHECK_THAT(server.log(), Catch::Contains("was mode 644; made it 600"));
}
