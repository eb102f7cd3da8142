// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
#pragma once

#include <filesystem>
#include <string_view>

namespace vgls::testing {

class temp_dir {
 public:
  explicit temp_dir(std::string_view prefix = "vgls-test");
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it back, close).
int free_port();

// Writes `text` to `path`, replacing it.
void write_file(const std::filesystem::path& path, std::string_view text);

// The whole file; empty when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace vgls::testing
