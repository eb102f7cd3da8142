// Helpers of the fault suite: mounts (tmpfs, an ext4 image on a loop device), immutable files,
// and the rule for faults this machine cannot stage (skip with the reason, fail under CI=true).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "tests/support/vglsd_process.h"

namespace vgls::testing {

// True when CI=true: every fault must then be staged, none skipped.
bool in_ci();

// Runs a shell command; true when it exits 0. Its output goes to the test's log.
bool run_command(const std::string& command);

// A file system mounted for one test, unmounted (lazily) when it goes away.
class mounted_fs {
 public:
  // tmpfs of `bytes` bytes at `where` (created).
  static std::optional<mounted_fs> tmpfs(const std::filesystem::path& where, std::size_t bytes,
                                         std::string& why_not);
  // A fresh ext4 file system of `megabytes` in an image file beside `where`, on a loop device.
  static std::optional<mounted_fs> ext4(const std::filesystem::path& where, int megabytes,
                                        std::string& why_not);
  mounted_fs(mounted_fs&& other) noexcept;
  mounted_fs& operator=(mounted_fs&&) = delete;
  ~mounted_fs();

  const std::filesystem::path& path() const { return where_; }
  bool remount(const std::string& options) const;

 private:
  explicit mounted_fs(std::filesystem::path where) : where_(std::move(where)) {}
  std::filesystem::path where_;
};

// chattr +i / -i on each of `paths` that exists.
bool set_immutable(const std::vector<std::filesystem::path>& paths, bool on);

// The SQLite files of a data dir: the database, its WAL and its -shm (when they exist), and the
// directory itself.
std::vector<std::filesystem::path> database_files(const std::filesystem::path& data_dir);

}  // namespace vgls::testing

// Stops a test case that cannot stage its fault here; under CI=true that is a failure.
#define VGLS_SKIP_UNLESS(condition, reason)                             \
  do {                                                                  \
    if (!(condition)) {                                                 \
      if (::vgls::testing::in_ci()) {                                   \
        FAIL("CI=true, but this fault cannot be staged: " << (reason)); \
      }                                                                 \
      WARN("skipped: " << (reason));                                    \
      return;                                                           \
    }                                                                   \
  } while (false)
