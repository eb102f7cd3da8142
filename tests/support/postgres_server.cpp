#include "tests/support/postgres_server.h"

#include <memory>
#include <stdexcept>

#include "tests/support/child_process.h"

namespace vgls::testing {

namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  return text;
}

}  // namespace

postgres_server::postgres_server() : state_(std::make_unique<temp_dir>("vgls-postgres")) {
  script({"start", state_->path().string()});
}

postgres_server::postgres_server(with_password password)
    : state_(std::make_unique<temp_dir>("vgls-postgres")) {
  script({"start", state_->path().string()}, {{"VGLS_TEST_POSTGRES_PASSWORD", password.password}});
}

postgres_server::postgres_server(replica_tag, const postgres_server& primary)
    : state_(std::make_unique<temp_dir>("vgls-postgres")) {
  script({"replica", primary.state_->path().string(), state_->path().string()});
}

postgres_server postgres_server::replica_of(const postgres_server& primary) {
  return postgres_server(replica_tag{}, primary);
}

postgres_server::postgres_server(postgres_server&& other) noexcept
    : state_(std::move(other.state_)) {}

postgres_server::~postgres_server() {
  if (!state_)
    return;
  try {
    script({"stop", state_->path().string()});
  } catch (const std::exception&) {
    // Nothing more to do in a destructor; the cluster is in /tmp.
  }
}

void postgres_server::halt() {
  script({"halt", state_->path().string()});
}

void postgres_server::resume() {
  script({"resume", state_->path().string()});
}

void postgres_server::promote() {
  script({"promote", state_->path().string()});
}

int postgres_server::port() const {
  return std::stoi(trimmed(read_file(*state_ / "port")));
}

std::string postgres_server::dsn() const {
  return trimmed(read_file(*state_ / "dsn"));
}

std::string postgres_server::dsn(const std::string& database) const {
  return dsn() + " dbname=" + database;
}

void postgres_server::script(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env) const {
  std::vector<std::string> argv = {VGLS_TEST_POSTGRES_SCRIPT};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = run_program(argv, std::chrono::seconds(120), env);
  if (result.exit_status != 0) {
    throw std::runtime_error("test-postgres.sh " + args.front() + " failed (" +
                             std::to_string(result.exit_status) + "): " + result.output);
  }
}

}  // namespace vgls::testing
