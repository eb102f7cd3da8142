// A small file for tests that need a path to read from; removed on destruction. (tests/support's
// temp_dir would make these unit tests wait for the server binaries to build.)
#pragma once

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

class scratch_file {
 public:
  explicit scratch_file(const std::string& contents) {
    static int counter = 0;
    path_ = (std::filesystem::temp_directory_path() /
             ("vgls-ctl-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
                .string();
    std::ofstream(path_) << contents;
  }
  ~scratch_file() { std::remove(path_.c_str()); }
  scratch_file(const scratch_file&) = delete;
  scratch_file& operator=(const scratch_file&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};
