// A real vglsd for end-to-end tests: its own temporary directory (config, data dir, log), a free
// loopback port, started with `--config --listen --data-dir` and waited on until /healthz answers.
// Not thread-safe; the HTTP clients it hands out are each for one thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/http_client.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_backend.h"

namespace vgls::testing {

struct vglsd_options {
  // Contents of the TOML config file. `listen` and `data_dir` come from flags, so a test may still
  // write a [server] table for other keys.
  std::string config_toml;
  // Default: a free port.
  std::optional<int> port;
  // Default: `<temp dir>/data`. Pass one to share a data dir between processes.
  std::optional<std::filesystem::path> data_dir;
  std::vector<std::string> extra_args;
  std::map<std::string, std::string> env;
  // The storage backend; default: the run's (selected_backend()). On PostgreSQL the config gains
  // [storage] backend and postgres_dsn: `postgres_dsn`, or a fresh database of the process's own.
  std::optional<test_backend> backend;
  std::optional<std::string> postgres_dsn;
  // Whether the constructor starts the process (and waits for /healthz).
  bool start = true;
  std::chrono::milliseconds ready_timeout{30000};
};

class vglsd_process {
 public:
  explicit vglsd_process(vglsd_options options = {});
  ~vglsd_process();
  vglsd_process(const vglsd_process&) = delete;
  vglsd_process& operator=(const vglsd_process&) = delete;

  // Starts the process and waits until /healthz answers 200. Throws std::runtime_error (with the
  // log) when it exits or does not become ready in time.
  void start();
  // SIGTERM, then waits for the exit; returns the exit status (SIGKILL after 20 s: returns -1).
  int terminate();
  // SIGKILL, no chance to flush.
  void kill9();
  // terminate() if running, then start() on the same port and data dir.
  void restart();
  bool running();

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  const std::filesystem::path& config_file() const { return config_file_; }
  std::string log() const { return read_file(log_file_); }
  test_backend backend() const { return backend_; }
  // The role /healthz names (SPEC §7): "single" on SQLite, "active" for a serving PostgreSQL node.
  std::string healthy_role() const {
    return backend_ == test_backend::postgres ? "active" : "single";
  }
  // The exact body of /healthz while it serves.
  std::string healthz_body() const {
    return R"({"status":"ok","role":")" + healthy_role() + R"("})";
  }
  // The PostgreSQL database of a PostgreSQL run (empty on SQLite).
  const std::string& postgres_dsn() const { return postgres_dsn_; }
  pid_t pid() const { return process_ ? process_->pid() : -1; }

  // The generated admin token (<data dir>/admin.token), trimmed.
  std::string admin_token() const;

  // A client without credentials / with the admin token as Bearer.
  std::unique_ptr<client::http_client> client() const;
  std::unique_ptr<client::http_client> admin_client() const;

 private:
  vglsd_options options_;
  test_backend backend_;
  std::unique_ptr<fresh_postgres_database> own_database_;
  std::string postgres_dsn_;
  temp_dir dir_;
  int port_ = 0;
  std::filesystem::path data_dir_;
  std::filesystem::path config_file_;
  std::filesystem::path log_file_;
  std::unique_ptr<child_process> process_;
};

// One exchange for tests: the answer, or a thrown std::runtime_error on a transport failure.
client::http_response call(client::http_client& client, std::string_view method,
                           std::string_view target, std::string_view body = {});

// call() and parse the body as JSON (null when the body is empty or not JSON).
struct json_response {
  int status = 0;
  nlohmann::json body;
  client::http_response raw;
};
json_response call_json(client::http_client& client, std::string_view method,
                        std::string_view target, const nlohmann::json& body = nullptr);

}  // namespace vgls::testing
