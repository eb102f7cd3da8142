// vglsd's configuration (SPEC §3): embedded defaults, the TOML file, and the keys vglsd adds where
// the SPEC is silent (documented in docs/server.md). Loading never throws: a bad file gives an
// error naming the file, line and key, so an operator can fix it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/status.h"
#include "protocol/time.h"
#include "storage/backend_options.h"
#include "storage/store_options.h"

namespace vgls::server {

// "host:port" split; an IPv6 host is written "[::1]:7070".
struct listen_address {
  std::string host = "0.0.0.0";
  std::uint16_t port = 7070;
  std::string to_string() const;
};

// nullopt when the text is not HOST:PORT with a port in 1..65535.
std::optional<listen_address> parse_listen_address(std::string_view text);

inline constexpr const char* default_tls_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

struct server_config {
  // [server]
  listen_address listen;
  std::filesystem::path data_dir = "./vgls-data";
  std::optional<std::filesystem::path> tls_cert;
  std::optional<std::filesystem::path> tls_key;
  // OpenSSL cipher list for TLS 1.2 (TLS 1.3 suites are all AEAD and left at OpenSSL's default).
  // Default: Mozilla's "intermediate" list, ECDHE key exchange with AEAD ciphers only.
  std::string tls_ciphers = default_tls_ciphers;
  std::optional<std::filesystem::path> admin_token_file;
  std::optional<std::filesystem::path> client_token_file;
  // SPEC §8: the Ed25519 key (PKCS#8 PEM) that signs lease tokens, instead of one in the store.
  std::optional<std::filesystem::path> signing_key_file;
  // Addition (docs/server.md): lease signatures prepared ahead at idle priority, 64 bytes each,
  // so that a boot storm of this many answers costs no more than unsigned ones (nonce_reserve.h).
  std::size_t signing_reserve = 200000;
  std::size_t max_body_bytes = 65536;
  std::size_t max_connections = 20000;
  double rate_limit = 0;  // requests per second per client address; 0 = off
  bool status_page_public = false;
  bool metrics_public = true;
  // Additions (docs/server.md): io threads (0 = one per core), and how long a client may take to
  // send one whole request (also the idle keep-alive timeout).
  unsigned threads = 0;
  std::chrono::seconds request_timeout{30};
  std::string log_level = "info";

  // How clients reach this node (SPEC §7); see effective_advertise_url.
  std::optional<std::string> advertise_url;

  // [storage]
  std::string storage_backend = "sqlite";
  std::optional<std::string> postgres_dsn;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds takeover_interval{1};
  std::chrono::seconds session_timeout{10};

  // [leases], [trial], [retention], [[pool]]
  storage::store_options store;

  // What a start will say about this configuration without refusing it, each naming the file,
  // line and key: a declared pool that has ended (protocol::declared_pool_ended).
  std::vector<std::string> warnings;

  bool tls() const { return tls_cert.has_value() && tls_key.has_value(); }
  std::filesystem::path database_path() const { return data_dir / "vgls.db"; }
  // server.advertise_url, or http(s)://<listen>, with this host's name for a wildcard address.
  std::string effective_advertise_url() const;
  // The [storage] table, as the store's factory takes it.
  storage::backend_options backend() const;
};

// Parses TOML text over the embedded defaults. `source` names the text in errors (a file path).
// Declared pools are checked as a start at `now` would check them (protocol/pool_rules.h).
protocol::result<server_config> parse_config(std::string_view text, std::string_view source,
                                             protocol::unix_seconds now = protocol::system_now());

// Reads and parses a file; a missing or unreadable file is an error naming it.
protocol::result<server_config> load_config_file(
    const std::filesystem::path& path, protocol::unix_seconds now = protocol::system_now());

// Checks what cannot be checked key by key (e.g. tls_cert without tls_key, the backend).
protocol::status validate_config(const server_config& config);

}  // namespace vgls::server
