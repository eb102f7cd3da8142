#include <catch2/catch.hpp>

#include "server/config/server_config.h"

using vgls::server::parse_config;

namespace {

std::string message_of(std::string_view text) {
  auto parsed = parse_config(text, "vglsd.toml");
  REQUIRE_FALSE(parsed.is_ok());
  return parsed.error().message();
}

}  // namespace

TEST_CASE("an empty file gives the embedded defaults of SPEC §3", "[config]") {
  auto parsed = parse_config("", "vglsd.toml");
  REQUIRE(parsed.is_ok());
  const auto& c = *parsed;
  CHECK(c.listen.host == "0.0.0.0");
  CHECK(c.listen.port == 7070);
  CHECK(c.data_dir == "./vgls-data");
  CHECK(c.database_path() == std::filesystem::path("./vgls-data/vgls.db"));
  CHECK_FALSE(c.tls());
  CHECK(c.max_body_bytes == 65536);
  CHECK(c.max_connections == 20000);
  CHECK(c.rate_limit == 0);
  CHECK_FALSE(c.status_page_public);
  CHECK(c.metrics_public);
  CHECK(c.storage_backend == "sqlite");
  CHECK(c.store.leases.duration_seconds == 86400);
  CHECK(c.store.leases.renew_fraction == Approx(0.15));
  CHECK(c.store.leases.allow_upgrade);
  CHECK(c.store.trial.enabled);
  CHECK(c.store.trial.days == 90);
  CHECK(c.store.trial.seats == 16);
  CHECK(c.store.declared_pools.empty());
}

TEST_CASE("every key of the SPEC sample is read", "[config]") {
  auto parsed = parse_config(R"(
[server]
listen = "127.0.0.1:8443"
data_dir = "/var/lib/vgls"
tls_cert = "/etc/vgls/tls/server.crt"
tls_key  = "/etc/vgls/tls/server.key"
admin_token_file  = "/etc/vgls/admin.token"
client_token_file = "/etc/vgls/client.token"
max_body_bytes = 4096
max_connections = 300
rate_limit = 2.5
status_page_public = true
metrics_public = false
threads = 3
request_timeout = "5s"
log_level = "debug"

[storage]
backend = "sqlite"

[leases]
duration = "2h"
renew_fraction = 0.5
allow_upgrade = false

[trial]
enabled = false
days = 30
seats = 4

[retention]
events_days = 10
usage_days = 20

[[pool]]
id = "vws-main"
edition = "vWS"
seats = 120
kind = "subscription"
expires_at = "2027-06-30T00:00:00Z"

[[pool]]
id = "forever"
edition = "grid-virtual-pc"
seats = 5
kind = "perpetual"
)",
                             "vglsd.toml");
  REQUIRE(parsed.is_ok());
  const auto& c = *parsed;
  CHECK(c.listen.to_string() == "127.0.0.1:8443");
  CHECK(c.data_dir == "/var/lib/vgls");
  CHECK(c.tls());
  CHECK(*c.admin_token_file == "/etc/vgls/admin.token");
  CHECK(*c.client_token_file == "/etc/vgls/client.token");
  CHECK(c.max_body_bytes == 4096);
  CHECK(c.max_connections == 300);
  CHECK(c.rate_limit == Approx(2.5));
  CHECK(c.status_page_public);
  CHECK_FALSE(c.metrics_public);
  CHECK(c.threads == 3);
  CHECK(c.request_timeout == std::chrono::seconds(5));
  CHECK(c.log_level == "debug");
  CHECK(c.store.leases.duration_seconds == 7200);
  CHECK(c.store.leases.renew_fraction == Approx(0.5));
  CHECK_FALSE(c.store.leases.allow_upgrade);
  CHECK_FALSE(c.store.trial.enabled);
  CHECK(c.store.trial.days == 30);
  CHECK(c.store.trial.seats == 4);
  CHECK(c.store.retention.events_days == 10);
  CHECK(c.store.retention.usage_days == 20);
  REQUIRE(c.store.declared_pools.size() == 2);
  CHECK(c.store.declared_pools[0].id == "vws-main");
  CHECK(c.store.declared_pools[0].edition == vgls::protocol::edition::vws);
  CHECK(c.store.declared_pools[0].seats == 120);
  CHECK(c.store.declared_pools[0].expires_at ==
        vgls::protocol::parse_rfc3339("2027-06-30T00:00:00Z"));
  CHECK(c.store.declared_pools[1].edition == vgls::protocol::edition::vpc);
  CHECK(c.store.declared_pools[1].kind == vgls::protocol::pool_kind::perpetual);
}

TEST_CASE("config errors name the file, the line and the key", "[config]") {
  CHECK(message_of("[server]\nlisten = \"0.0.0.0:7070\"\nmax_conections = 5\n")
            .find("vglsd.toml:3: server.max_conections: unknown key") == 0);
  auto m = message_of("[leases]\n\nduration = \"forever\"\n");
  CHECK(m.find("vglsd.toml:3: leases.duration") == 0);
  m = message_of("[leases]\nduration = \"31d\"\n");
  CHECK(m.find("vglsd.toml:2: leases.duration: must be from 1s to 30d") == 0);
  m = message_of("[leases]\nrenew_fraction = 1.0\n");
  CHECK(m.find("vglsd.toml:2: leases.renew_fraction") == 0);
  m = message_of("[leases]\nrenew_fraction = 0\n");
  CHECK(m.find("leases.renew_fraction") != std::string::npos);
  m = message_of("[server]\nmax_body_bytes = \"big\"\n");
  CHECK(m.find("vglsd.toml:2: server.max_body_bytes: must be an integer") == 0);
  m = message_of("[server]\nlisten = \"nowhere\"\n");
  CHECK(m.find("vglsd.toml:2: server.listen") == 0);
  m = message_of("[sever]\nlisten = \"0.0.0.0:1\"\n");
  CHECK(m.find("vglsd.toml:1: sever: unknown section") == 0);
  m = message_of("[trial]\nseats = -1\n");
  CHECK(m.find("vglsd.toml:2: trial.seats") == 0);
  m = message_of("[server]\nstatus_page_public = \"yes\"\n");
  CHECK(m.find("vglsd.toml:2: server.status_page_public: must be true or false") == 0);
}

TEST_CASE("TOML syntax errors name the line and column", "[config]") {
  auto m = message_of("[server]\nlisten = \n");
  CHECK(m.find("vglsd.toml:2:") == 0);
  CHECK(m.find("not valid TOML") != std::string::npos);
}

TEST_CASE("storage backends: sqlite or postgres, and postgres needs its DSN", "[config]") {
  auto m = message_of("[storage]\nbackend = \"postgres\"\n");
  CHECK(m.find("storage.postgres_dsn") != std::string::npos);
  CHECK(m.find("needs storage.postgres_dsn") != std::string::npos);
  m = message_of("[storage]\nbackend = \"mysql\"\n");
  CHECK(m.find("vglsd.toml:2: storage.backend") == 0);
  CHECK(m.find("must be \"sqlite\" or \"postgres\"") != std::string::npos);
  auto parsed = parse_config(
      "[storage]\nbackend = \"postgres\"\npostgres_dsn = \"postgresql://vgls@db1/vgls\"\n"
      "session_timeout = \"10s\"\n",
      "vglsd.toml");
  REQUIRE(parsed.is_ok());
  CHECK(parsed.value().storage_backend == "postgres");
  CHECK(parsed.value().postgres_dsn == std::optional<std::string>("postgresql://vgls@db1/vgls"));
}

TEST_CASE("TLS needs both a certificate and a key", "[config]") {
  auto m = message_of("[server]\ntls_cert = \"/a.crt\"\n");
  CHECK(m.find("tls_key") != std::string::npos);
  // The line of the key that is there.
  CHECK(m.find("vglsd.toml:2: server.tls_cert: server.tls_cert and server.tls_key must be set "
               "together") == 0);
  m = message_of("[server]\n\ntls_key = \"/a.key\"\n");
  CHECK(m.find("vglsd.toml:3: server.tls_key: ") == 0);
  m = message_of("[storage]\nbackend = \"postgres\"\n");
  CHECK(m.find("vglsd.toml:2: storage.backend: storage.backend = \"postgres\" needs "
               "storage.postgres_dsn") == 0);
}

TEST_CASE("declared pools are checked like API pools", "[config]") {
  auto m =
      message_of("[[pool]]\nid = \"Bad Id\"\nedition = \"vWS\"\nseats = 1\nkind = \"perpetual\"\n");
  CHECK(m.find("vglsd.toml:2: pool.id") == 0);
  m = message_of("[[pool]]\nid = \"p\"\nedition = \"vXX\"\nseats = 1\nkind = \"perpetual\"\n");
  CHECK(m.find("vglsd.toml:3: pool.edition") == 0);
  m = message_of("[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"subscription\"\n");
  CHECK(m.find("needs expires_at or days") != std::string::npos);
  m = message_of(
      "[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"perpetual\"\ncolour = 1\n");
  CHECK(m.find("vglsd.toml:6: pool.colour: unknown key") == 0);
  m = message_of(
      "[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"perpetual\"\n"
      "[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"perpetual\"\n");
  CHECK(m.find("declared twice") != std::string::npos);
}

TEST_CASE("a declared pool's end must fit its kind and start", "[config]") {
  auto m = message_of(
      "[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"perpetual\"\n"
      "expires_at = \"2027-06-30T00:00:00Z\"\n");
  CHECK(m.find("vglsd.toml:6: pool.expires_at: a perpetual pool never expires") == 0);
  m = message_of(
      "[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"perpetual\"\ndays = 30\n");
  CHECK(m.find("vglsd.toml:6: pool.days: a perpetual pool never expires") == 0);
  m = message_of(
      "[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"trial\"\ndays = 30\n"
      "expires_at = \"2027-06-30T00:00:00Z\"\n");
  CHECK(m.find("vglsd.toml:7: pool.expires_at: give expires_at or days, not both") == 0);
  m = message_of(
      "[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"trial\"\n"
      "expires_at = \"2027-06-30T00:00:00Z\"\nstarts_at = \"2028-01-01T00:00:00Z\"\n");
  CHECK(m.find("vglsd.toml:6: pool.expires_at: must be after starts_at") == 0);
}

TEST_CASE("a missing config file is an error naming it", "[config]") {
  auto loaded = vgls::server::load_config_file("/nonexistent/vglsd.toml");
  REQUIRE_FALSE(loaded.is_ok());
  CHECK(loaded.error().message().find("/nonexistent/vglsd.toml") == 0);
}

TEST_CASE("listen addresses", "[config]") {
  using vgls::server::parse_listen_address;
  CHECK(parse_listen_address("127.0.0.1:7070")->port == 7070);
  CHECK(parse_listen_address("[::1]:80")->host == "::1");
  CHECK(parse_listen_address("localhost:1")->host == "localhost");
  CHECK_FALSE(parse_listen_address("127.0.0.1"));
  CHECK_FALSE(parse_listen_address("127.0.0.1:0"));
  CHECK_FALSE(parse_listen_address("127.0.0.1:65536"));
  CHECK_FALSE(parse_listen_address("::1:80"));
  CHECK_FALSE(parse_listen_address(":80"));
}

TEST_CASE("the shipped sample configuration loads", "[config]") {
  auto loaded = vgls::server::load_config_file(VGLS_SAMPLE_CONFIG);
  INFO((loaded.is_ok() ? std::string() : loaded.error().message()));
  REQUIRE(loaded.is_ok());
  CHECK(loaded->data_dir == "/var/lib/vgls");
  CHECK(loaded->listen.port == 7070);
  REQUIRE(loaded->store.declared_pools.size() == 1);
  CHECK(loaded->store.declared_pools[0].id == "vws-main");
}

TEST_CASE("an unknown key suggests the nearest and lists the known keys of its table", "[config]") {
  auto m = message_of("[server]\nlisten = \"0.0.0.0:7070\"\nmax_conections = 5\n");
  CHECK(m.find("vglsd.toml:3: server.max_conections: unknown key in [server] (did you mean "
               "max_connections?); known keys: listen, data_dir,") == 0);
  m = message_of("[leases]\nrenew_fractoin = 0.2\n");
  CHECK(m.find("(did you mean renew_fraction?)") != std::string::npos);
  CHECK(m.find("known keys: duration, renew_fraction, allow_upgrade") != std::string::npos);
  m = message_of(
      "[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"perpetual\"\n"
      "expire_at = \"2027-06-30\"\n");
  CHECK(m.find("vglsd.toml:6: pool.expire_at: unknown key in [[pool]] (did you mean "
               "expires_at?)") == 0);
  m = message_of("listen = \"0.0.0.0:7070\"\n");
  CHECK(m.find("vglsd.toml:1: listen: unknown key at the top level; known") == 0);
}

TEST_CASE("sizes and log levels take the shared forms", "[config]") {
  auto parsed =
      parse_config("[server]\nmax_body_bytes = \"1MiB\"\nlog_level = \"critical\"\n", "vglsd.toml");
  REQUIRE(parsed.is_ok());
  CHECK(parsed->max_body_bytes == 1024 * 1024);
  CHECK(parsed->log_level == "critical");
  CHECK(message_of("[server]\nmax_body_bytes = \"1TiB\"\n")
            .find("vglsd.toml:2: server.max_body_bytes") == 0);
  CHECK(message_of("[server]\nmax_body_bytes = \"128MiB\"\n")
            .find("vglsd.toml:2: server.max_body_bytes: must be from 64 bytes to 64MiB") == 0);
  CHECK(message_of("[server]\nlog_level = \"verbose\"\n")
            .find("vglsd.toml:2: server.log_level: must be one of trace, debug, info, warn, "
                  "error, critical, off") == 0);
}

namespace {

constexpr vgls::protocol::unix_seconds test_now = 1'800'000'000;  // 2027-01-15T08:00:00Z

std::string pool_with(const std::string& more) {
  return "[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"subscription\"\n" + more;
}

}  // namespace

TEST_CASE("a declared pool's dates take the forms vglsctl takes, and TOML's own", "[config]") {
  const auto midnight = vgls::protocol::parse_rfc3339("2027-06-30T00:00:00Z");
  for (const char* written :
       {"\"2027-06-30T00:00:00Z\"", "\"2027-06-30\"", "\"2027-06-30 02:00:00+02:00\"", "2027-06-30",
        "2027-06-30T00:00:00Z", "2027-06-29T20:00:00-04:00"}) {
    INFO(written);
    auto parsed = parse_config(pool_with("expires_at = " + std::string(written) + "\n"),
                               "vglsd.toml", test_now);
    INFO((parsed.is_ok() ? std::string() : parsed.error().message()));
    REQUIRE(parsed.is_ok());
    CHECK(parsed->store.declared_pools.at(0).expires_at == midnight);
  }
  auto m = message_of(pool_with("expires_at = 2027-06-30T00:00:00\n"));
  CHECK(m ==
        "vglsd.toml:6: pool.expires_at: has no time zone: add Z (UTC) or an offset such as "
        "+02:00");
  m = message_of(pool_with("expires_at = \"30/06/2027\"\n"));
  CHECK(m.find("vglsd.toml:6: pool.expires_at: \"30/06/2027\" is not an RFC 3339 time") == 0);
  m = message_of(pool_with("expires_at = \"2027-06-30\"\nstarts_at = \"someday\"\n"));
  CHECK(m.find("vglsd.toml:7: pool.starts_at:") == 0);
}

TEST_CASE("every rule a start applies to a declared pool names the line of its key", "[config]") {
  const auto at = [](const std::string& text) {
    auto parsed = parse_config(text, "vglsd.toml", test_now);
    REQUIRE_FALSE(parsed.is_ok());
    return parsed.error().message();
  };
  CHECK(at(pool_with("days = 0\n"))
            .find("vglsd.toml:6: pool.days: must be an integer from 1 to "
                  "36500") == 0);
  CHECK(at("[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 10000001\nkind = \"perpetual\"\n")
            .find("vglsd.toml:4: pool.seats: must be an integer from 0 to 10000000") == 0);
  CHECK(at("[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = \"ten\"\nkind = \"perpetual\"\n")
            .find("vglsd.toml:4: pool.seats: must be an integer") == 0);
  CHECK(at("[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\n") ==
        "vglsd.toml:1: pool.kind: is required in every [[pool]]");
  CHECK(at("\n[[pool]]\nid = \"p\"\nseats = 1\nkind = \"perpetual\"\n") ==
        "vglsd.toml:2: pool.edition: is required in every [[pool]]");
  CHECK(at("[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"perpetual\"\n\n"
           "[[pool]]\nid = \"p\"\nedition = \"vPC\"\nseats = 2\nkind = \"perpetual\"\n") ==
        "vglsd.toml:8: pool.id: \"p\" is declared twice (first at line 2)");
  CHECK(
      at("[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"lifetime\"\n")
          .find("vglsd.toml:5: pool.kind: \"lifetime\" is not trial, subscription or perpetual") ==
      0);
  CHECK(at("pool = 3\n").find("vglsd.toml:1: pool: must be written as [[pool]] tables") == 0);
}

TEST_CASE("a declared pool that has ended is a warning naming its line, not an error", "[config]") {
  auto parsed = parse_config(pool_with("expires_at = \"2026-06-30\"\n"), "vglsd.toml", test_now);
  REQUIRE(parsed.is_ok());
  REQUIRE(parsed->warnings.size() == 1);
  CHECK(parsed->warnings[0].find("vglsd.toml:6: pool.expires_at: declared pool \"p\" ended at "
                                 "2026-06-30T00:00:00Z; vglsd neither creates nor changes it") ==
        0);
  // It stays declared: the store decides at start (and leaves it alone there too).
  CHECK(parsed->store.declared_pools.size() == 1);
  auto ahead = parse_config(pool_with("expires_at = \"2027-06-30\"\n"), "vglsd.toml", test_now);
  REQUIRE(ahead.is_ok());
  CHECK(ahead->warnings.empty());
}
