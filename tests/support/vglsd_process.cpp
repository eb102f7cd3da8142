#include "tests/support/vglsd_process.h"

#include <signal.h>

#include <stdexcept>

namespace vgls::testing {

namespace {

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// The config with the [storage] keys of a PostgreSQL run, in the file's [storage] table if it has
// one.
std::string with_postgres_storage(const std::string& toml, const std::string& dsn) {
  const std::string keys = "backend = \"postgres\"\npostgres_dsn = \"" + dsn + "\"\n";
  const std::string header = "[storage]\n";
  if (auto at = toml.find(header); at != std::string::npos && (at == 0 || toml[at - 1] == '\n')) {
    std::string out = toml;
    out.insert(at + header.size(), keys);
    return out;
  }
  return toml + "\n" + header + keys;
}

}  // namespace

vglsd_process::vglsd_process(vglsd_options options)
    : options_(std::move(options)),
      backend_(options_.backend.value_or(selected_backend())),
      dir_("vglsd-test") {
  if (backend_ == test_backend::postgres) {
    if (options_.postgres_dsn) {
      postgres_dsn_ = *options_.postgres_dsn;
    } else {
      own_database_ = std::make_unique<fresh_postgres_database>();
      postgres_dsn_ = own_database_->dsn();
    }
    options_.config_toml = with_postgres_storage(options_.config_toml, postgres_dsn_);
  }
  port_ = options_.port ? *options_.port : free_port();
  data_dir_ = options_.data_dir ? *options_.data_dir : dir_ / "data";
  config_file_ = dir_ / "vglsd.toml";
  log_file_ = dir_ / "vglsd.log";
  write_file(config_file_, options_.config_toml);
  if (options_.start)
    start();
}

vglsd_process::~vglsd_process() {
  if (process_ && process_->running())
    terminate();
}

void vglsd_process::start() {
  if (std::string(VGLS_VGLSD_BIN).empty())
    throw std::runtime_error("vglsd was not built");
  std::vector<std::string> argv = {VGLS_VGLSD_BIN,
                                   "--config",
                                   config_file_.string(),
                                   "--listen",
                                   "127.0.0.1:" + std::to_string(port_),
                                   "--data-dir",
                                   data_dir_.string()};
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  process_ = std::make_unique<child_process>(argv, log_file_, options_.env);

  auto probe = client();
  const bool ready = wait_until(
      [&] {
        if (!process_->running())
          return true;
        auto answer = probe->request("GET", "/healthz");
        return std::holds_alternative<client::http_response>(answer) &&
               std::get<client::http_response>(answer).status == 200;
      },
      options_.ready_timeout);
  if (!process_->running()) {
    throw std::runtime_error("vglsd exited during start-up; its log:\n" + log());
  }
  if (!ready)
    throw std::runtime_error("vglsd did not become ready; its log:\n" + log());
}

int vglsd_process::terminate() {
  if (!process_)
    return -1;
  process_->send_signal(SIGTERM);
  if (auto status = process_->wait_for_exit(std::chrono::seconds(20)))
    return *status;
  process_->kill();
  return -1;
}

void vglsd_process::kill9() {
  if (process_)
    process_->kill();
}

void vglsd_process::restart() {
  if (process_ && process_->running())
    terminate();
  start();
}

bool vglsd_process::running() {
  return process_ && process_->running();
}

std::string vglsd_process::admin_token() const {
  return trim(read_file(data_dir_ / "admin.token"));
}

std::unique_ptr<client::http_client> vglsd_process::client() const {
  return std::make_unique<client::http_client>(*client::parse_server_url(url()),
                                               client::client_options{});
}

std::unique_ptr<client::http_client> vglsd_process::admin_client() const {
  client::client_options options;
  options.bearer_token = admin_token();
  return std::make_unique<client::http_client>(*client::parse_server_url(url()), options);
}

client::http_response call(client::http_client& client, std::string_view method,
                           std::string_view target, std::string_view body) {
  auto answer = client.request(method, target, body);
  if (auto* error = std::get_if<client::transport_error>(&answer)) {
    throw std::runtime_error(std::string(method) + " " + std::string(target) + ": " +
                             error->message);
  }
  return std::get<client::http_response>(std::move(answer));
}

json_response call_json(client::http_client& client, std::string_view method,
                        std::string_view target, const nlohmann::json& body) {
  json_response out;
  out.raw = call(client, method, target, body.is_null() ? std::string() : body.dump());
  out.status = out.raw.status;
  out.body = nlohmann::json::parse(out.raw.body, nullptr, false);
  if (out.body.is_discarded())
    out.body = nullptr;
  return out;
}

}  // namespace vgls::testing
