#include "tests/storage/store_fixture.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>

namespace vgls::storage::testing {

scratch_dir::scratch_dir() {
  static std::atomic<int> counter{0};
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          ("vgls-storage-test-" + std::to_string(::getpid()) + "-" +
           std::to_string(counter.fetch_add(1)) + "-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

scratch_dir::~scratch_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

protocol::result<std::unique_ptr<store>> open_sqlite_file(const std::filesystem::path& path,
                                                          store_options options) {
  backend_options backend;
  backend.kind = backend_kind::sqlite;
  backend.sqlite_path = path;
  return open_store(backend, std::move(options));
}

backend_options selected_backend_options(const std::filesystem::path& sqlite_path,
                                         const std::string& dsn) {
  backend_options backend;
  backend.sqlite_path = sqlite_path;
  if (vgls::testing::selected_backend() == vgls::testing::test_backend::postgres) {
    backend.kind = backend_kind::postgres;
    backend.postgres.dsn = dsn;
    backend.postgres.advertise_url = "http://storage-test:7070";
    // A store that a test closes and opens again takes the lock over at once.
    backend.postgres.takeover_interval = std::chrono::milliseconds(100);
  }
  return backend;
}

database_for_run::database_for_run() {
  if (vgls::testing::selected_backend() == vgls::testing::test_backend::postgres) {
    database_ = std::make_unique<vgls::testing::fresh_postgres_database>();
  }
}

protocol::result<std::unique_ptr<store>> open_serving(const backend_options& backend,
                                                      store_options options) {
  auto opened = open_store(backend, std::move(options));
  if (!opened) {
    return opened;
  }
  for (int attempt = 0; attempt < 200 && opened.value()->node().role == node_role::standby;
       ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return opened;
}

store_options test_options(std::shared_ptr<manual_clock> clock, bool trial) {
  store_options options;
  options.wall_clock = std::move(clock);
  options.trial.enabled = trial;
  options.leases.duration_seconds = 3600;
  options.leases.renew_fraction = 0.15;
  return options;
}

protocol::checkout_request checkout_of(const std::string& client_id, protocol::edition edition) {
  protocol::checkout_request request;
  request.client_id = client_id;
  request.requested_edition = edition;
  request.hostname = "host-" + client_id;
  return request;
}

protocol::pool_create_request pool_of(const std::string& id, protocol::edition edition,
                                      std::int64_t seats,
                                      std::optional<protocol::unix_seconds> expires_at) {
  protocol::pool_create_request request;
  request.id = id;
  request.edition = edition;
  request.seats = seats;
  request.kind = expires_at ? protocol::pool_kind::subscription : protocol::pool_kind::perpetual;
  request.starts_at = t0 - 86400;
  request.expires_at = expires_at;
  return request;
}

store_under_test::store_under_test(bool trial, protocol::unix_seconds start)
    : path_(dir_.file("vgls.db")),
      clock_(std::make_shared<manual_clock>(start)),
      options_(test_options(clock_, trial)) {
  backend_ = selected_backend_options(path_, database_.dsn());
  // Open/close lines of every test drown the failures; warnings and errors still show.
  spdlog::set_level(spdlog::level::warn);
  reopen();
}

store_under_test::~store_under_test() {
  close();
}

void store_under_test::close() {
  if (store_) {
    store_->close();
    store_.reset();
  }
}

void store_under_test::reopen() {
  close();
  auto opened = open_serving(backend_, options_);
  if (!opened) {
    throw std::runtime_error(opened.error().to_string());
  }
  store_ = std::move(opened.value());
}

protocol::result<checkout_outcome> store_under_test::checkout(
    const protocol::checkout_request& request) {
  return await<checkout_outcome>([&](auto done) { store_->checkout(request, done); });
}

protocol::result<checkout_outcome> store_under_test::checkout(const std::string& client_id,
                                                              protocol::edition edition) {
  return checkout(checkout_of(client_id, edition));
}

protocol::result<protocol::lease> store_under_test::renew(const std::string& lease_id) {
  return await<protocol::lease>([&](auto done) { store_->renew(lease_id, {}, done); });
}

protocol::result<done> store_under_test::release(const std::string& lease_id, release_kind kind) {
  return await<done>([&](auto done_cb) { store_->release(lease_id, kind, "admin", done_cb); });
}

protocol::result<protocol::lease> store_under_test::get_lease(const std::string& lease_id) {
  return await<protocol::lease>([&](auto done) { store_->get_lease(lease_id, done); });
}

protocol::result<protocol::pool_view> store_under_test::create_pool(
    const protocol::pool_create_request& request) {
  return await<protocol::pool_view>(
      [&](auto done) { store_->create_pool(request, "admin", done); });
}

protocol::result<protocol::pool_view> store_under_test::get_pool(const std::string& id) {
  return await<protocol::pool_view>([&](auto done) { store_->get_pool(id, done); });
}

protocol::result<protocol::pool_view> store_under_test::update_pool(
    const std::string& id, const protocol::pool_patch_request& patch) {
  return await<protocol::pool_view>(
      [&](auto done) { store_->update_pool(id, patch, "admin", done); });
}

protocol::result<done> store_under_test::delete_pool(const std::string& id, bool force) {
  return await<done>([&](auto done_cb) { store_->delete_pool(id, force, "admin", done_cb); });
}

protocol::result<std::vector<protocol::pool_view>> store_under_test::list_pools() {
  return await<std::vector<protocol::pool_view>>([&](auto done) { store_->list_pools(done); });
}

protocol::result<protocol::lease_page> store_under_test::list_leases(
    const protocol::lease_query& query) {
  return await<protocol::lease_page>([&](auto done) { store_->list_leases(query, done); });
}

protocol::result<protocol::event_page> store_under_test::list_events(
    const protocol::event_query& query) {
  return await<protocol::event_page>([&](auto done) { store_->list_events(query, done); });
}

protocol::result<std::vector<protocol::usage_bucket>> store_under_test::usage(
    const protocol::usage_query& query) {
  return await<std::vector<protocol::usage_bucket>>([&](auto done) { store_->usage(query, done); });
}

protocol::result<store_facts> store_under_test::facts() {
  return await<store_facts>([&](auto done) { store_->facts(done); });
}

std::vector<protocol::event> store_under_test::events_of_type(const std::string& type) {
  std::vector<protocol::event> found;
  protocol::event_query query;
  query.type = type;
  query.limit = 1000;
  for (;;) {
    auto page = list_events(query);
    if (!page) {
      throw std::runtime_error(page.error().to_string());
    }
    found.insert(found.end(), page->events.begin(), page->events.end());
    if (!page->next) {
      return found;
    }
    query.after = *page->next;
  }
}

std::size_t store_under_test::wait_for_events(const std::string& type, std::size_t count) {
  std::size_t seen = 0;
  for (int attempt = 0; attempt < 200; ++attempt) {
    seen = events_of_type(type).size();
    if (seen >= count) {
      return seen;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return seen;
}

}  // namespace vgls::storage::testing
