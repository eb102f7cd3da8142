// One `vgls-agent run` per state dir: two would each renew, release and rewrite the same lease.
// An exclusive flock on `<state_dir>/agent.lock`, held for the life of the object; the kernel
// drops it when the process dies, so a crash never leaves a stale lock. Not synchronised.
#pragma once

#include <filesystem>
#include <memory>

#include "protocol/status.h"

namespace vgls::agent {

class instance_lock {
 public:
  // Creates the state dir when missing. An error when another process holds the lock.
  static protocol::result<std::unique_ptr<instance_lock>> acquire(
      const std::filesystem::path& state_dir);
  ~instance_lock();
  instance_lock(const instance_lock&) = delete;
  instance_lock& operator=(const instance_lock&) = delete;

 private:
  explicit instance_lock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace vgls::agent
