#include "tests/faults/fault_support.h"

#include <sys/mount.h>
#include <unistd.h>

#include <cstdlib>

namespace vgls::testing {

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

bool run_command(const std::string& command) {
  return std::system(command.c_str()) == 0;
}

std::optional<mounted_fs> mounted_fs::tmpfs(const std::filesystem::path& where, std::size_t bytes,
                                            std::string& why_not) {
  if (::geteuid() != 0) {
    why_not = "mounting a tmpfs needs root";
    return std::nullopt;
  }
  std::filesystem::create_directories(where);
  if (!run_command("mount -t tmpfs -o size=" + std::to_string(bytes) + " vgls-fault " +
                   where.string())) {
    why_not = "mount -t tmpfs failed (a container without CAP_SYS_ADMIN?)";
    return std::nullopt;
  }
  return mounted_fs(where);
}

std::optional<mounted_fs> mounted_fs::ext4(const std::filesystem::path& where, int megabytes,
                                           std::string& why_not) {
  if (::geteuid() != 0) {
    why_not = "a loop mount needs root";
    return std::nullopt;
  }
  const std::filesystem::path image = where.string() + ".img";
  std::filesystem::create_directories(where);
  if (!run_command("truncate -s " + std::to_string(megabytes) + "M " + image.string() +
                   " && mkfs.ext4 -q -F " + image.string() + " >/dev/null 2>&1")) {
    why_not = "mkfs.ext4 failed (e2fsprogs installed?)";
    return std::nullopt;
  }
  if (!run_command("mount -o loop " + image.string() + " " + where.string())) {
    why_not = "mount -o loop failed (no loop devices in this container?)";
    return std::nullopt;
  }
  return mounted_fs(where);
}

mounted_fs::mounted_fs(mounted_fs&& other) noexcept : where_(std::move(other.where_)) {
  other.where_.clear();
}

mounted_fs::~mounted_fs() {
  if (where_.empty()) {
    return;
  }
  // Files left immutable would keep the test's directory from being removed.
  run_command("chattr -R -i " + where_.string() + " 2>/dev/null");
  ::umount2(where_.c_str(), MNT_DETACH);
}

bool mounted_fs::remount(const std::string& options) const {
  return run_command("mount -o remount," + options + " " + where_.string());
}

bool set_immutable(const std::vector<std::filesystem::path>& paths, bool on) {
  bool ok = true;
  for (const auto& path : paths) {
    std::error_code ignored;
    if (std::filesystem::exists(path, ignored)) {
      ok = run_command(std::string("chattr ") + (on ? "+i " : "-i ") + path.string()) && ok;
    }
  }
  return ok;
}

std::vector<std::filesystem::path> database_files(const std::filesystem::path& data_dir) {
  const auto db = data_dir / "vgls.db";
  return {db, db.string() + "-wal", db.string() + "-shm", data_dir};
}

}  // namespace vgls::testing
