#include "tests/support/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/temp_dir.h"

namespace vgls::testing {

namespace {

int decode_wait_status(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

child_process::child_process(std::vector<std::string> argv, std::filesystem::path output_file,
                             std::map<std::string, std::string> env)
    : output_file_(std::move(output_file)) {
  if (argv.empty() || argv[0].empty())
    throw std::runtime_error("child_process: no program");
  std::vector<char*> args;
  for (auto& a : argv)
    args.push_back(a.data());
  args.push_back(nullptr);

  const int out = ::open(output_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out < 0)
    throw std::runtime_error("cannot open " + output_file_.string());

  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(out);
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    // A new process group, so a test's Ctrl-C does not reach it twice and kill() is exact.
    ::setpgid(0, 0);
    for (const auto& [name, value] : env) {
      if (value.empty()) {
        ::unsetenv(name.c_str());
      } else {
        ::setenv(name.c_str(), value.c_str(), 1);
      }
    }
    ::dup2(out, STDOUT_FILENO);
    ::dup2(out, STDERR_FILENO);
    const int null_in = ::open("/dev/null", O_RDONLY);
    if (null_in >= 0)
      ::dup2(null_in, STDIN_FILENO);
    ::execv(args[0], args.data());
    const std::string message = "exec failed: " + argv[0] + "\n";
    [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, message.data(), message.size());
    ::_exit(127);
  }
  ::close(out);
}

child_process::~child_process() {
  if (running())
    kill();
}

bool child_process::running() {
  if (exit_status_)
    return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_status_ = decode_wait_status(status);
    return false;
  }
  return r == 0;
}

void child_process::send_signal(int signal) {
  if (running())
    ::kill(pid_, signal);
}

std::optional<int> child_process::wait_for_exit(std::chrono::milliseconds timeout) {
  wait_until([this] { return !running(); }, timeout);
  return exit_status_;
}

void child_process::kill() {
  if (!running())
    return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  if (::waitpid(pid_, &status, 0) == pid_)
    exit_status_ = decode_wait_status(status);
}

std::string child_process::output() const {
  return read_file(output_file_);
}

run_result run_program(std::vector<std::string> argv, std::chrono::milliseconds timeout,
                       std::map<std::string, std::string> env) {
  temp_dir dir("vgls-run");
  child_process child(std::move(argv), dir / "output.txt", std::move(env));
  run_result result;
  if (auto status = child.wait_for_exit(timeout)) {
    result.exit_status = *status;
  } else {
    child.kill();
    result.exit_status = -1;
  }
  result.output = child.output();
  return result;
}

std::size_t resident_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream fields(line.substr(6));
      std::size_t kib = 0;
      fields >> kib;
      return kib * 1024;
    }
  }
  return 0;
}

}  // namespace vgls::testing
