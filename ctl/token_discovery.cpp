#include "ctl/token_discovery.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace vgls::ctl {
namespace {

enum class file_state { ok, unreadable, empty };

// The file's contents without surrounding whitespace (token files usually end in a newline).
file_state read_token_file(const std::string& path, std::string* token) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    return file_state::unreadable;
  std::ifstream file(path);
  if (!file)
    return file_state::unreadable;
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos)
    return file_state::empty;
  const auto end = text.find_last_not_of(" \t\r\n");
  *token = text.substr(begin, end - begin + 1);
  return file_state::ok;
}

// A file the operator named: its token, or why it cannot be used.
token_lookup named_file(const std::string& what, const std::string& path) {
  token_lookup found;
  std::string token;
  switch (read_token_file(path, &token)) {
    case file_state::ok:
      found.token = token;
      found.source = path;
      break;
    case file_state::unreadable:
      found.error = what + ": cannot read " + path;
      break;
    case file_state::empty:
      found.error = what + ": " + path + " is empty";
      break;
  }
  return found;
}

}  // namespace

const std::vector<std::string>& usual_token_files() {
  static const std::vector<std::string> files = {"./vgls-data/admin.token",
                                                 "/etc/vgls/admin.token"};
  return files;
}

token_lookup find_token(const token_sources& sources) {
  if (sources.flag_token)
    return token_lookup{sources.flag_token, "--token", std::nullopt};
  if (sources.flag_file)
    return named_file("--token-file", *sources.flag_file);
  if (sources.env_token)
    return token_lookup{sources.env_token, "VGLS_TOKEN", std::nullopt};
  if (sources.env_file)
    return named_file("VGLS_TOKEN_FILE", *sources.env_file);
  for (const auto& path : sources.usual_files) {
    std::string token;
    if (read_token_file(path, &token) == file_state::ok)
      return token_lookup{token, path, std::nullopt};
  }
  return {};
}

std::string unauthorized_hint(const token_lookup& found,
                              const std::vector<std::string>& usual_files) {
  if (found.token)
    return "the token from " + found.source + " was not accepted";
  std::string hint = "no admin token was given or found; it is usually in ";
  for (std::size_t i = 0; i < usual_files.size(); ++i) {
    if (i > 0)
      hint += i + 1 == usual_files.size() ? " or " : ", ";
    hint += usual_files[i];
    std::error_code ignored;
    if (std::filesystem::exists(usual_files[i], ignored))
      hint += " (present but not readable by you)";
  }
  hint += "; pass --token-file FILE or set VGLS_TOKEN_FILE";
  return hint;
}

}  // namespace vgls::ctl
