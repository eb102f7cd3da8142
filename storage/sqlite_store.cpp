#include "storage/sqlite_store.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <utility>

#include "storage/sqlite/schema.h"
#include "storage/sqlite_store_impl.h"
#include "storage/store_statements.h"

namespace vgls::storage {

namespace {

using steady = std::chrono::steady_clock;

constexpr auto sweep_interval = std::chrono::seconds(1);
constexpr auto retention_interval = std::chrono::minutes(1);
// Expired leases removed per transaction. While a backlog remains, sweep chunks alternate with
// client batches, so a chunk's cost is what a checkout may wait behind during a mass expiry:
// 500 (about 1,000 row writes, a few milliseconds) keeps that wait small and still clears 100,000
// leases in seconds. Seats are never at stake here: expiry is logical, the sweep only tidies.
constexpr std::size_t sweep_chunk = 500;

protocol::status unavailable_closed() {
  return protocol::status::unavailable("the license store is shut down; retry on another server");
}

}  // namespace

template <class T, class Body>
struct sqlite_store::typed_operation final : sqlite_store::operation {
  typed_operation(callback<T> done, Body b) : on_done(std::move(done)), body(std::move(b)) {}

  void apply(sqlite_store& store) override { outcome.emplace(body(store)); }
  void answer() override {
    if (outcome) {
      on_done(std::move(*outcome));
    } else {
      on_done(protocol::status::internal("the operation produced no answer"));
    }
  }
  void abort(const protocol::status& why) override { on_done(why); }

  callback<T> on_done;
  Body body;
  std::optional<protocol::result<T>> outcome;
};

template <class T, class Body>
void sqlite_store::submit(callback<T> on_done, Body body) {
  std::unique_ptr<operation> op =
      std::make_unique<typed_operation<T, Body>>(std::move(on_done), std::move(body));
  if (auto refused = queue_.push(std::move(op))) {
    refused->abort(unavailable_closed());
  }
}

sqlite_store::sqlite_store(std::filesystem::path path, store_options options)
    : path_(std::move(path)), options_(std::move(options)), clock_(options_.wall_clock) {
  if (!clock_) {
    clock_ = std::make_shared<system_clock>();
  }
}

sqlite_store::~sqlite_store() {
  close();
}

protocol::status sqlite_store::open() {
  try {
    db_.emplace(path_);
    sqlite::configure_connection(*db_);
    sqlite::migrate(*db_);
    sql_ = std::make_unique<statements>(*db_);
    if (auto hw = get_meta("clock_high_water")) {
      persisted_high_water_ = std::stoll(*hw);
      high_water_.store(persisted_high_water_);
    }
    load_state();

    sqlite::transaction txn(*db_);
    advance_clock();
    create_trial_pools_once();
    apply_declared_pools();
    record_event(protocol::event_type::server_started, std::nullopt, std::nullopt, std::nullopt,
                 std::nullopt,
                 {{"leases", index_.lease_count()}, {"pools", index_.pools().size()}});
    txn.commit();
  } catch (const std::exception& e) {
    // State may be half-loaded; nothing was committed by the failing transaction.
    index_.clear();
    sql_.reset();
    db_.reset();
    return protocol::status::unavailable("cannot open the license database " + path_.string() +
                                         ": " + e.what());
  }
  usage_.start(batch_now_, active_per_edition());
  spdlog::info("license store open: {} ({} pools, {} leases); serving requests", path_.string(),
               index_.pools().size(), index_.lease_count());
  next_sweep_ = steady::now();
  next_retention_ = steady::now();
  thread_ = std::thread([this] { run(); });
  checkpointer_ = std::thread([this] { run_checkpointer(); });
  return protocol::status::ok();
}

void sqlite_store::run_checkpointer() {
  std::optional<sqlite::database> db;
  bool warned = false;
  std::unique_lock lock(checkpointer_mutex_);
  while (!checkpointer_wake_.wait_for(lock, std::chrono::milliseconds(250),
                                      [this] { return checkpointer_stop_; })) {
    lock.unlock();
    try {
      if (!db) {
        db.emplace(path_);
      }
      // PASSIVE never blocks the writer; whatever it cannot copy now is copied next time.
      db->exec("PRAGMA wal_checkpoint(PASSIVE)");
      warned = false;
    } catch (const std::exception& e) {
      if (!warned) {
        spdlog::warn(
            "background checkpoint of {} failed ({}); the writer checkpoints by itself meanwhile, "
            "retrying",
            path_.string(), e.what());
        warned = true;
      }
      db.reset();
    }
    lock.lock();
  }
}

void sqlite_store::load_state() {
  state_loaded_ = false;
  index_.clear();
  auto pools =
      db_->prepare("SELECT id, edition, seats, kind, starts_at, expires_at FROM pools ORDER BY id");
  while (pools.step()) {
    protocol::pool pool;
    pool.id = pools.text(0);
    pool.edition = protocol::parse_edition(pools.text(1)).value_or(protocol::edition::vapp);
    pool.seats = pools.int64(2);
    pool.kind =
        protocol::parse_pool_kind(pools.text(3)).value_or(protocol::pool_kind::subscription);
    pool.starts_at = pools.int64(4);
    pool.expires_at = pools.optional_int64(5);
    index_.add_pool(std::move(pool));
  }
  // Issue order: when a client has two rows (an old one awaiting the sweeper), the newest becomes
  // the one the client holds.
  auto leases = db_->prepare(
      "SELECT id, client_id, pool_id, requested_edition, edition, issued_at, renewed_at, "
      "expires_at, seq, (hostname IS NOT NULL OR vgpu_profile IS NOT NULL OR labels <> '{}' "
      "OR client_clock_skew IS NOT NULL), hostname FROM leases ORDER BY seq");
  while (leases.step()) {
    pool_entry* pool = index_.find_pool(leases.text(2));
    if (pool == nullptr) {
      continue;  // cannot happen: pool deletion deletes its leases in the same transaction
    }
    lease_record record;
    record.client_id = leases.text(1);
    record.pool = pool;
    record.requested_edition =
        protocol::parse_edition(leases.text(3)).value_or(protocol::edition::vapp);
    record.granted_edition = protocol::parse_edition(leases.text(4)).value_or(pool->pool.edition);
    record.issued_at = leases.int64(5);
    record.renewed_at = leases.int64(6);
    record.expires_at = leases.int64(7);
    record.seq = leases.int64(8);
    record.self_described = leases.int64(9) != 0;
    record.hostname = leases.optional_text(10);
    index_.add_lease(leases.text(0), std::move(record));
  }
  // The newest events may have been deleted by retention; meta keeps the mark above them.
  auto last_event = db_->prepare(
      "SELECT max(COALESCE((SELECT max(id) FROM events), 0), "
      "COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'last_event_id'), 0))");
  if (last_event.step()) {
    last_event_id_ = last_event.int64(0);
    last_event.reset();
  }
  state_loaded_ = true;
}

void sqlite_store::run() {
  std::vector<std::unique_ptr<operation>> batch;
  batch.reserve(options_.max_batch);
  bool sweep_pending = false;
  for (;;) {
    const auto deadline = sweep_pending ? steady::now() : next_sweep_;
    batch.clear();
    if (!queue_.take(batch, std::max<std::size_t>(1, options_.max_batch), deadline)) {
      break;
    }
    if (!batch.empty()) {
      run_batch(batch);
    }
    if (steady::now() >= next_sweep_ || sweep_pending) {
      std::vector<std::unique_ptr<operation>> none;
      sweep_pending = false;
      try {
        if (!state_loaded_) {
          load_state();
        }
        sqlite::transaction txn(*db_);
        advance_clock();
        roll_usage_minute();
        sweep_pending = sweep(sweep_chunk);
        if (steady::now() >= next_retention_) {
          // A backlog (e.g. after retention was shortened) is worked off a chunk per second.
          next_retention_ =
              steady::now() + (apply_retention() ? sweep_interval : retention_interval);
        }
        txn.commit();
      } catch (const std::exception& e) {
        recover_after_failure(std::string("expiring leases failed: ") + e.what());
      }
      next_sweep_ = steady::now() + sweep_interval;
    }
  }
  // Closing: keep the partial minute's usage.
  try {
    sqlite::transaction txn(*db_);
    advance_clock();
    flush_usage_minute(batch_now_);
    txn.commit();
  } catch (const std::exception& e) {
    spdlog::warn("could not save the usage of the last minute at shutdown: {}", e.what());
  }
}

void sqlite_store::run_batch(std::vector<std::unique_ptr<operation>>& batch) {
  try {
    if (!state_loaded_) {
      load_state();
    }
    sql_->begin.run();
    try {
      advance_clock();
      roll_usage_minute();
      for (auto& op : batch) {
        op->apply(*this);
      }
      sql_->commit.run();
    } catch (...) {
      try {
        sql_->rollback.run();
      } catch (const std::exception&) {
        // SQLite may have rolled back already (e.g. after SQLITE_FULL); nothing else to undo.
      }
      throw;
    }
  } catch (const std::exception& e) {
    for (auto& op : batch) {
      op->abort(protocol::status::unavailable(
          "the license database could not commit; nothing was changed, retry shortly"));
    }
    recover_after_failure(e.what());
    return;
  }
  for (auto& op : batch) {
    try {
      op->answer();
    } catch (const std::exception& e) {
      spdlog::error("a store callback threw ({}); the store keeps running", e.what());
    }
  }
}

void sqlite_store::recover_after_failure(const std::string& what) {
  spdlog::error(
      "license database {}: {}; the transaction was rolled back and its requests answered "
      "unavailable; reloading state from the database and continuing (check disk space and the "
      "file's health if this repeats)",
      path_.string(), what);
  try {
    load_state();
  } catch (const std::exception& e) {
    spdlog::error(
        "reloading license state from {} failed: {}; every request will be answered unavailable "
        "until a reload succeeds (retried with each request)",
        path_.string(), e.what());
    state_loaded_ = false;
  }
}

void sqlite_store::set_meta(std::string_view key, std::string_view value) {
  sql_->set_meta.with(key, value).run();
}

std::optional<std::string> sqlite_store::get_meta(std::string_view key) {
  auto& query = sql_->get_meta.with(key);
  if (!query.step()) {
    return std::nullopt;
  }
  std::string value = query.text(0);
  query.reset();
  return value;
}

protocol::unix_seconds sqlite_store::now() const {
  return std::max(clock_->now(), high_water_.load());
}

void sqlite_store::close() {
  if (closed_.exchange(true)) {
    return;
  }
  queue_.close();
  if (thread_.joinable()) {
    thread_.join();
  }
  {
    std::lock_guard lock(checkpointer_mutex_);
    checkpointer_stop_ = true;
  }
  checkpointer_wake_.notify_all();
  if (checkpointer_.joinable()) {
    checkpointer_.join();
  }
  if (db_) {
    sql_.reset();
    try {
      db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const std::exception& e) {
      spdlog::warn("checkpoint at close of {} failed ({}); the WAL is replayed at next open",
                   path_.string(), e.what());
    }
    db_.reset();
    spdlog::info("license store closed: {}", path_.string());
  }
}

// --- public methods: enqueue only

void sqlite_store::checkout(protocol::checkout_request request,
                            callback<checkout_outcome> on_done) {
  submit<checkout_outcome>(std::move(on_done), [request = std::move(request)](sqlite_store& s) {
    return s.do_checkout(request);
  });
}

void sqlite_store::renew(std::string lease_id, protocol::renew_request request,
                         callback<protocol::lease> on_done) {
  submit<protocol::lease>(std::move(on_done), [id = std::move(lease_id), request](sqlite_store& s) {
    return s.do_renew(id, request);
  });
}

void sqlite_store::release(std::string lease_id, release_kind kind, callback<done> on_done) {
  submit<done>(std::move(on_done), [id = std::move(lease_id), kind](sqlite_store& s) {
    return s.do_release(id, kind);
  });
}

void sqlite_store::get_lease(std::string lease_id, callback<protocol::lease> on_done) {
  submit<protocol::lease>(std::move(on_done), [id = std::move(lease_id)](sqlite_store& s) {
    return s.do_get_lease(id);
  });
}

void sqlite_store::list_pools(callback<std::vector<protocol::pool_view>> on_done) {
  submit<std::vector<protocol::pool_view>>(std::move(on_done), [](sqlite_store& s) {
    std::vector<protocol::pool_view> views;
    views.reserve(s.index_.pools().size());
    for (const auto& [id, pool] : s.index_.pools()) {
      views.push_back(s.view_of(pool));
    }
    return protocol::result<std::vector<protocol::pool_view>>(std::move(views));
  });
}

void sqlite_store::get_pool(std::string pool_id, callback<protocol::pool_view> on_done) {
  submit<protocol::pool_view>(
      std::move(on_done),
      [id = std::move(pool_id)](sqlite_store& s) -> protocol::result<protocol::pool_view> {
        const pool_entry* pool = s.index_.find_pool(id);
        if (pool == nullptr) {
          return protocol::status::error(protocol::error_code::pool_not_found,
                                         "no pool with id '" + id + "'");
        }
        return s.view_of(*pool);
      });
}

void sqlite_store::create_pool(protocol::pool_create_request request,
                               callback<protocol::pool_view> on_done) {
  submit<protocol::pool_view>(std::move(on_done), [request = std::move(request)](sqlite_store& s) {
    return s.do_create_pool(request, "api");
  });
}

void sqlite_store::update_pool(std::string pool_id, protocol::pool_patch_request patch,
                               callback<protocol::pool_view> on_done) {
  submit<protocol::pool_view>(
      std::move(on_done),
      [id = std::move(pool_id), patch](sqlite_store& s) { return s.do_update_pool(id, patch); });
}

void sqlite_store::delete_pool(std::string pool_id, bool force, callback<done> on_done) {
  submit<done>(std::move(on_done), [id = std::move(pool_id), force](sqlite_store& s) {
    return s.do_delete_pool(id, force);
  });
}

void sqlite_store::list_leases(protocol::lease_query query,
                               callback<protocol::lease_page> on_done) {
  submit<protocol::lease_page>(std::move(on_done), [query = std::move(query)](sqlite_store& s) {
    return s.do_list_leases(query);
  });
}

void sqlite_store::list_events(protocol::event_query query,
                               callback<protocol::event_page> on_done) {
  submit<protocol::event_page>(std::move(on_done), [query = std::move(query)](sqlite_store& s) {
    return s.do_list_events(query);
  });
}

void sqlite_store::usage(protocol::usage_query query,
                         callback<std::vector<protocol::usage_bucket>> on_done) {
  submit<std::vector<protocol::usage_bucket>>(
      std::move(on_done), [query](sqlite_store& s) { return s.do_usage(query); });
}

void sqlite_store::facts(callback<store_facts> on_done) {
  submit<store_facts>(std::move(on_done),
                      [](sqlite_store& s) { return protocol::result<store_facts>(s.do_facts()); });
}

protocol::result<std::unique_ptr<store>> open_sqlite_store(const std::filesystem::path& path,
                                                           store_options options) {
  auto opened = std::make_unique<sqlite_store>(path, std::move(options));
  if (auto status = opened->open(); !status) {
    spdlog::error("{}; the server cannot start without its license database", status.message());
    return status;
  }
  return std::unique_ptr<store>(std::move(opened));
}

}  // namespace vgls::storage
