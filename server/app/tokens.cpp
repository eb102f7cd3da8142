#include "server/app/tokens.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <future>

#include "server/http/auth.h"

namespace vgls::server {
namespace {

using protocol::status;

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos)
    return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

protocol::result<std::string> generate_token() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return status::internal("the system's random number generator failed");
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string token;
  token.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    token.push_back(hex[b >> 4]);
    token.push_back(hex[b & 0xF]);
  }
  return token;
}

}  // namespace

protocol::result<std::string> read_token_file(const std::filesystem::path& path,
                                              const char* setting) {
  std::ifstream in(path);
  if (!in) {
    return status::invalid(
        setting, "cannot read " + path.string() + " (" + setting + "): " + std::strerror(errno));
  }
  std::string line;
  std::getline(in, line);
  line = trim(std::move(line));
  if (line.empty()) {
    return status::invalid(
        setting, path.string() + " (" + setting + ") is empty; put the token on its first line");
  }
  return line;
}

protocol::result<admin_token> load_admin_token(const server_config& config) {
  admin_token token;
  if (config.admin_token_file) {
    auto value = read_token_file(*config.admin_token_file, "server.admin_token_file");
    if (!value)
      return value.error();
    token.value = std::move(*value);
    token.file = *config.admin_token_file;
    return token;
  }
  token.file = config.data_dir / "admin.token";
  std::error_code exists_error;
  if (std::filesystem::exists(token.file, exists_error)) {
    auto value = read_token_file(token.file, "admin.token");
    if (!value)
      return value.error();
    token.value = std::move(*value);
    return token;
  }
  auto value = generate_token();
  if (!value)
    return value.error();
  // O_EXCL: never overwrite a token someone else just wrote; 0600: only vglsd's user reads it.
  const int fd = ::open(token.file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return status::unavailable("cannot create the admin token file " + token.file.string() + ": " +
                               std::strerror(errno));
  }
  const std::string line = *value + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    std::filesystem::remove(token.file, exists_error);
    return status::unavailable("cannot write the admin token file " + token.file.string());
  }
  token.value = std::move(*value);
  token.generated = true;
  return token;
}

protocol::result<admin_token> settle_admin_token(storage::store& store,
                                                 const server_config& config) {
  auto token = load_admin_token(config);
  if (!token || store.role() == storage::node_role::standby)
    return token;
  const auto credentials = store.current_credentials();
  const storage::token_record* stored = nullptr;
  for (const auto& t : credentials->tokens) {
    if (t.name == "admin")
      stored = &t;
  }
  const std::string digest = secret_sha256_hex(token->value);
  if (stored != nullptr && stored->secret_sha256_hex == digest)
    return token;
  if (stored != nullptr && !config.admin_token_file) {
    // Another node made the installation's admin token; this node's own file is its own.
    spdlog::info(
        "{} is this node's admin token, accepted by this node only; every node accepts "
        "the installation's (set server.admin_token_file to replace that one)",
        token->file.string());
    return token;
  }
  storage::token_record record;
  record.name = "admin";
  record.role = protocol::role::admin;
  record.secret_sha256_hex = digest;
  std::promise<protocol::result<storage::done>> put;
  auto outcome = put.get_future();
  store.put_token(std::move(record), "vglsd",
                  [&put](protocol::result<storage::done> r) { put.set_value(std::move(r)); });
  if (auto r = outcome.get(); !r)
    return r.error();
  if (stored != nullptr) {
    spdlog::warn("the admin token of {} differs from the stored one: the stored hash is replaced",
                 token->file.string());
  }
  return token;
}

protocol::result<std::optional<std::string>> load_client_token(const server_config& config) {
  if (!config.client_token_file)
    return std::optional<std::string>();
  auto value = read_token_file(*config.client_token_file, "server.client_token_file");
  if (!value)
    return value.error();
  return std::optional<std::string>(std::move(*value));
}

protocol::status check_named_files(const server_config& config) {
  if (config.admin_token_file) {
    auto token = read_token_file(*config.admin_token_file, "server.admin_token_file");
    if (!token)
      return token.error();
  }
  if (auto token = load_client_token(config); !token)
    return token.error();
  for (const auto& [file, setting] :
       {std::pair{config.tls_cert, "server.tls_cert"}, std::pair{config.tls_key, "server.tls_key"},
        std::pair{config.signing_key_file, "server.signing_key_file"}}) {
    if (file && !std::ifstream(*file)) {
      return status::invalid(
          setting, "cannot read " + file->string() + " (" + setting + "): " + std::strerror(errno));
    }
  }
  return {};
}

}  // namespace vgls::server
