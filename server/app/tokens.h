// The admin and client tokens (SPEC §2, §3): read from the configured files, or, for the admin
// token, generated on first start into <data_dir>/admin.token with mode 0600.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "protocol/status.h"
#include "server/config/server_config.h"
#include "storage/store.h"

namespace vgls::server {

struct admin_token {
  std::string value;
  std::filesystem::path file;  // where it lives, for the start-up log
  bool generated = false;      // true when this start created it
};

// From server.admin_token_file when set (it must exist and be non-empty); else from
// <data_dir>/admin.token, created with 32 random bytes (64 hex digits) if missing. The data
// directory must exist.
protocol::result<admin_token> load_admin_token(const server_config& config);

// From server.client_token_file when set; nullopt when not configured.
protocol::result<std::optional<std::string>> load_client_token(const server_config& config);

// Makes the store's token `admin` (SPEC §9) agree with this start, and returns the admin token
// this node accepts besides the stored ones (also before its store answers):
// - server.admin_token_file set: its token; a stored hash that differs is replaced (and logged);
// - else <data_dir>/admin.token (generated when missing): stored when the installation has no
//   admin token yet (its first start); when another node already stored one, this node's file is
//   accepted by this node only (logged).
// A standby stores nothing (the active node does).
protocol::result<admin_token> settle_admin_token(storage::store& store,
                                                 const server_config& config);

// Checks that the token and TLS files the configuration names can be read (for --check-config);
// the error names the file and the setting.
protocol::status check_named_files(const server_config& config);

// Reads a token file: its first line, without surrounding whitespace. Errors name the file.
protocol::result<std::string> read_token_file(const std::filesystem::path& path,
                                              const char* setting);

}  // namespace vgls::server
