#include "server/app/secure_files.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <filesystem>

namespace vgls::server {
namespace {

namespace fs = std::filesystem;

void tighten(const fs::path& path, fs::perms wanted) {
  std::error_code ec;
  const auto status = fs::symlink_status(path, ec);
  if (ec || !fs::exists(status) || fs::is_symlink(status))
    return;
  const auto now = status.permissions() & fs::perms::mask;
  if ((now & ~wanted) == fs::perms::none)
    return;
  fs::permissions(path, wanted, fs::perm_options::replace, ec);
  if (ec) {
    spdlog::warn("{} is mode {:o} and could not be made {:o}: {}", path.string(),
                 static_cast<unsigned>(now), static_cast<unsigned>(wanted), ec.message());
    return;
  }
  spdlog::info("{} was mode {:o}; made it {:o} (only vglsd's user may read it)", path.string(),
               static_cast<unsigned>(now), static_cast<unsigned>(wanted));
}

void warn_if_open(const std::optional<fs::path>& path, const char* setting) {
  if (!path)
    return;
  std::error_code ec;
  const auto perms = fs::status(*path, ec).permissions();
  if (ec)
    return;
  if ((perms & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none) {
    spdlog::warn("{} ({}) can be read by other users (mode {:o}); make it 0600", path->string(),
                 setting, static_cast<unsigned>(perms & fs::perms::mask));
  }
}

}  // namespace

void restrict_new_files() {
  ::umask(077);
}

void secure_data_dir(const server_config& config) {
  tighten(config.data_dir, fs::perms::owner_all);
  const auto private_file = fs::perms::owner_read | fs::perms::owner_write;
  for (const char* name :
       {"vgls.db", "vgls.db-wal", "vgls.db-shm", "vgls.db-journal", "admin.token"}) {
    tighten(config.data_dir / name, private_file);
  }
  warn_if_open(config.admin_token_file, "server.admin_token_file");
  warn_if_open(config.client_token_file, "server.client_token_file");
  warn_if_open(config.signing_key_file, "server.signing_key_file");
}

}  // namespace vgls::server
