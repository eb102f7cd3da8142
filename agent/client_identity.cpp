#include "agent/client_identity.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <fstream>
#include <sstream>

#include "protocol/validation.h"

extern char** environ;

namespace vgls::agent {

namespace {

std::string trim(std::string_view text) {
  const auto* first =
      std::find_if_not(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
  const auto* last = std::find_if_not(text.rbegin(), text.rend(), [](unsigned char c) {
                       return std::isspace(c);
                     }).base();
  return first < last ? std::string(first, last) : std::string();
}

std::optional<std::string> read_first_line(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return std::nullopt;
  }
  return trim(line);
}

// A UUID of one repeated digit is a placeholder, not an identity.
bool is_placeholder_uuid(std::string_view uuid) {
  std::string digits;
  for (char c : uuid) {
    if (c != '-') {
      digits += c;
    }
  }
  return digits.empty() ||
         std::all_of(digits.begin(), digits.end(), [&](char c) { return c == digits.front(); });
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

protocol::result<std::string> detect_client_id(const identity_sources& sources) {
  if (auto uuid = read_first_line(sources.product_uuid)) {
    auto id = lower(*uuid);
    if (protocol::is_valid_client_id(id) && !is_placeholder_uuid(id)) {
      return id;
    }
  }
  if (auto machine_id = read_first_line(sources.machine_id)) {
    if (protocol::is_valid_client_id(*machine_id) && !is_placeholder_uuid(*machine_id)) {
      return *machine_id;
    }
  }
  return protocol::status::invalid(
      "client_id", "client_id = \"auto\": neither " + sources.product_uuid.string() + " nor " +
                       sources.machine_id.string() +
                       " gives a usable id (the first needs root); set client_id in the config "
                       "or pass --client-id");
}

std::optional<std::string> profile_from_nvidia_smi_output(std::string_view output) {
  std::istringstream in{std::string(output)};
  std::string line;
  while (std::getline(in, line)) {
    auto name = trim(line);
    if (!name.empty()) {
      return name;
    }
  }
  return std::nullopt;
}

std::optional<std::string> detect_vgpu_profile(const identity_sources& sources) {
  std::array<int, 2> pipe_fds{};
  if (pipe(pipe_fds.data()) != 0) {
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  // The agent blocks SIGTERM for its own signal handling; the child must not inherit that.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attributes, &empty);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);

  std::string program = sources.nvidia_smi;
  std::array<char*, 4> argv{program.data(), const_cast<char*>("--query-gpu=name"),
                            const_cast<char*>("--format=csv,noheader"), nullptr};
  pid_t child = -1;
  const int spawned =
      posix_spawnp(&child, program.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    return std::nullopt;
  }

  std::string output;
  const auto deadline = std::chrono::steady_clock::now() + sources.nvidia_smi_timeout;
  bool timed_out = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd fd{pipe_fds[0], POLLIN, 0};
    const int ready = poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      timed_out = ready == 0;
      break;
    }
    std::array<char, 4096> buffer{};
    const auto n = read(pipe_fds[0], buffer.data(), buffer.size());
    if (n <= 0) {
      break;
    }
    output.append(buffer.data(), static_cast<std::size_t>(n));
  }
  close(pipe_fds[0]);
  if (timed_out) {
    kill(child, SIGKILL);
  }
  int wait_status = 0;
  while (waitpid(child, &wait_status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out || !WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
    return std::nullopt;
  }
  return profile_from_nvidia_smi_output(output);
}

std::optional<std::string> system_hostname() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0 || name[0] == '\0') {
    return std::nullopt;
  }
  return std::string(name.data());
}

}  // namespace vgls::agent
