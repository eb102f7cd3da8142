#include "agent/instance_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vgls::agent {

protocol::result<std::unique_ptr<instance_lock>> instance_lock::acquire(
    const std::filesystem::path& state_dir) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) {
    return protocol::status::invalid(
        "state_dir", "cannot create the state dir " + state_dir.string() + ": " + ec.message());
  }
  const auto path = state_dir / "agent.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return protocol::status::invalid("state_dir",
                                     "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    return protocol::status::invalid(
        "state_dir", error == EWOULDBLOCK
                         ? "another vgls-agent run is using the state dir " + state_dir.string() +
                               " (it holds " + path.string() + "); stop it first"
                         : "cannot lock " + path.string() + ": " + std::strerror(error));
  }
  return std::unique_ptr<instance_lock>(new instance_lock(fd));
}

instance_lock::~instance_lock() {
  ::close(fd_);
}

}  // namespace vgls::agent
