// vglsctl's command line (SPEC §5) → one `invocation`, without touching the network. Values that
// can be checked locally (editions, kinds, times, durations, buckets) are checked here, so that a
// typo is a bad command line (exit 2) rather than a request the server refuses.
// Pure apart from reading token files; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/edition.h"
#include "protocol/pool.h"
#include "protocol/role.h"
#include "protocol/time.h"

namespace vgls::ctl {

struct status_command {};
struct pool_list_command {};
struct pool_add_command {
  std::string id;
  protocol::edition edition = protocol::edition::vapp;
  std::int64_t seats = 0;
  protocol::pool_kind kind = protocol::pool_kind::subscription;
  std::optional<std::int64_t> days;
  std::optional<protocol::unix_seconds> expires_at;
  std::optional<protocol::unix_seconds> starts_at;
};
struct pool_set_command {
  std::string id;
  std::optional<std::int64_t> seats;
  std::optional<protocol::unix_seconds> expires_at;
  std::optional<protocol::unix_seconds> starts_at;
};
struct pool_rm_command {
  std::string id;
  bool force = false;
};
struct lease_list_command {
  std::optional<std::string> pool;
  std::optional<protocol::edition> edition;
  std::optional<std::string> client;
  std::optional<std::string> hostname;
  // The page size: --limit, else 100 for one page and 1000 (the most a page holds) with --all.
  int limit = 100;
  // The page after this cursor (a previous page's `next`).
  std::optional<std::string> after;
  // Follow `next` to the last page, printing every lease as one listing.
  bool all = false;
};
struct lease_revoke_command {
  std::string id;
};
struct events_command {
  // nullopt: the latest `latest_count` events.
  std::optional<std::int64_t> since_seconds;
  std::optional<std::string> type;
  bool follow = false;
  static constexpr int latest_count = 20;
};
struct usage_command {
  std::int64_t since_seconds = 30 * protocol::seconds_per_day;
  std::string bucket = "1d";
  std::optional<protocol::edition> edition;
  bool csv = false;
  // One row per edition over the whole period instead of one per bucket.
  bool summary = false;
};

struct key_list_command {};
struct key_rotate_command {};
struct token_add_command {
  std::string name;
  protocol::role role = protocol::role::viewer;
};
struct token_list_command {};
struct token_rm_command {
  std::string name;
};

using any_command =
    std::variant<status_command, pool_list_command, pool_add_command, pool_set_command,
                 pool_rm_command, lease_list_command, lease_revoke_command, events_command,
                 usage_command, key_list_command, key_rotate_command, token_add_command,
                 token_list_command, token_rm_command>;

struct invocation {
  std::string server = "http://127.0.0.1:7070";
  std::optional<std::string> token;
  // PEM file of the CA that signed an https server's certificate; the system's roots when unset.
  std::optional<std::string> ca_file;
  bool json = false;
  any_command command;
  // Added to a 401's error line: where the token usually is, or where the refused one came from.
  std::string unauthorized_hint;
};

// What the environment contributes (VGLS_SERVER, VGLS_TOKEN, VGLS_TOKEN_FILE, the usual token
// files, the clock); flags win over it. A default-constructed one has no usual files and the
// clock at 0, so that tests see only what they set.
struct environment {
  std::optional<std::string> server;
  std::optional<std::string> token;
  std::optional<std::string> token_file;
  // Tried in order when no token was named (see token_discovery.h).
  std::vector<std::string> usual_token_files;
  // Now, for refusing an --expires-at in the past.
  protocol::unix_seconds now = 0;
  static environment from_process();
};

// Either an invocation to run, or the text to print and the exit code to end with (0 for --help
// and --version, 2 for a bad command line).
struct parse_outcome {
  std::optional<vgls::ctl::invocation> invocation;
  int exit_code = 0;
  std::string message;
  bool message_is_error = false;
};

// `args` excludes the program name.
parse_outcome parse_command_line(const std::vector<std::string>& args, const environment& env);

// Time arguments: RFC 3339, or a plain date "2027-06-30" meaning 00:00:00 UTC that day.
std::optional<protocol::unix_seconds> parse_time_argument(const std::string& text);

}  // namespace vgls::ctl
