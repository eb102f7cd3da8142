// Where vglsctl finds the admin token (SPEC §13), in this order: --token, --token-file,
// VGLS_TOKEN, VGLS_TOKEN_FILE, then the usual files (./vgls-data/admin.token, where a server run
// from this directory keeps it, and /etc/vgls/admin.token, where the package writes it), each used
// only when readable and not empty. A file named explicitly (--token-file, VGLS_TOKEN_FILE) that
// cannot be read is an error instead, since the operator asked for it. Reads files only;
// thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vgls::ctl {

// Everything that may name a token; empty optionals are absent.
struct token_sources {
  std::optional<std::string> flag_token;  // --token
  std::optional<std::string> flag_file;   // --token-file
  std::optional<std::string> env_token;   // VGLS_TOKEN
  std::optional<std::string> env_file;    // VGLS_TOKEN_FILE
  std::vector<std::string> usual_files;   // tried in order
};

struct token_lookup {
  // The token, when one was found; nullopt means the requests go without one.
  std::optional<std::string> token;
  // Where it came from, for messages: "--token", "VGLS_TOKEN", "./vgls-data/admin.token".
  std::string source;
  // Set when an explicitly named file could not be used; then `token` is nullopt.
  std::optional<std::string> error;
};

// The usual token files, in the order they are tried.
const std::vector<std::string>& usual_token_files();

token_lookup find_token(const token_sources& sources);

// What to add to a 401's error line so the operator can fix it: where the token usually is when
// none was found, or where the refused token came from.
std::string unauthorized_hint(const token_lookup& found,
                              const std::vector<std::string>& usual_files);

}  // namespace vgls::ctl
