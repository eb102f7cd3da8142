#include "storage/engine/engine_store.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <utility>

namespace vgls::storage {

namespace {

using steady = std::chrono::steady_clock;

constexpr auto sweep_interval = std::chrono::seconds(1);
constexpr auto retention_interval = std::chrono::minutes(1);
// The database's clock is read at takeover and every minute (SPEC §7 Time).
constexpr auto clock_sync_interval = std::chrono::minutes(1);
// Expired leases removed per batch. While a backlog remains, sweep chunks alternate with client
// batches, so a chunk's cost is what a checkout may wait behind during a mass expiry: 500 (about
// 1,000 row writes, a few milliseconds) keeps that wait small and still clears 100,000 leases in
// seconds. Seats are never at stake here: expiry is logical, the sweep only tidies.
constexpr std::size_t sweep_chunk = 500;

protocol::status unavailable_closed() {
  return protocol::status::unavailable("the license store is shut down; retry on another server");
}

protocol::status commit_failed() {
  return protocol::status::unavailable(
      "the license database could not commit; nothing was changed, retry shortly");
}

}  // namespace

template <class T, class Body>
struct engine_store::typed_operation final : engine_store::operation {
  typed_operation(callback<T> done, Body b) : on_done(std::move(done)), body(std::move(b)) {}

  void apply(engine_store& store) override { outcome.emplace(body(store.engine_)); }
  void answer(engine_store& /*store*/) override {
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
void engine_store::submit(callback<T> on_done, Body body) {
  std::unique_ptr<operation> op =
      std::make_unique<typed_operation<T, Body>>(std::move(on_done), std::move(body));
  if (auto refused = queue_.push(std::move(op))) {
    refused->abort(unavailable_closed());
  }
}

engine_store::engine_store(std::unique_ptr<persistence> backend, store_options options)
    : backend_(std::move(backend)),
      options_(std::move(options)),
      // Nodes that share a database decide by its clock (SPEC §7 Time); a test's clock wins.
      database_clock_(!options_.wall_clock && backend_->shares_database()
                          ? std::make_shared<following_clock>()
                          : nullptr),
      clock_(options_.wall_clock ? options_.wall_clock
             : database_clock_   ? std::shared_ptr<const clock>(database_clock_)
                                 : std::make_shared<system_clock>()),
      engine_(options_, clock_, *backend_) {
  role_.store(backend_->shares_database() ? node_role::standby : node_role::single);
}

engine_store::~engine_store() {
  close();
}

protocol::status engine_store::open() {
  try {
    follow_database_clock(true);
    const writer_claim claim = backend_->claim_writer();
    if (claim.result == writer_claim::outcome::unreachable) {
      return protocol::status::unavailable("cannot open the license database " +
                                           backend_->describe() + ": " + claim.reason);
    }
    if (claim.result == writer_claim::outcome::writer) {
      engine_.load(*backend_);
      engine_.begin_batch();
      if (auto started = engine_.start_up(backend_->describe()); !started) {
        engine_.reset();
        return started;
      }
      backend_->commit(engine_.changes());
      engine_.batch_committed();
      if (backend_->shares_database()) {
        role_.store(node_role::active);
        std::lock_guard lock(status_mutex_);
        active_since_ = engine_.now();
        ++takeovers_;
      }
    } else {
      become_standby("another node holds the right to write", claim.active_node);
    }
  } catch (const std::exception& e) {
    engine_.reset();
    return protocol::status::unavailable("cannot open the license database " +
                                         backend_->describe() + ": " + e.what());
  }
  if (engine_.loaded()) {
    const auto facts = engine_.facts();
    spdlog::info("license store open: {} ({} pools, {} active leases); serving requests",
                 backend_->describe(), facts.pools, facts.leases_active);
  }
  const auto now = steady::now();
  next_sweep_ = now;
  next_retention_ = now;
  next_review_ = now + std::chrono::seconds(1);
  next_claim_ = now + backend_->claim_interval();
  last_activity_ = now;
  opened_.store(true);
  thread_ = std::thread([this] { run(); });
  reader_ = std::thread([this] { run_reader(); });
  return protocol::status::ok();
}

void engine_store::run() {
  std::vector<std::unique_ptr<operation>> batch;
  batch.reserve(options_.max_batch);
  bool sweep_pending = false;
  for (;;) {
    auto deadline = sweep_pending ? steady::now() : next_sweep_;
    if (role_.load() == node_role::standby) {
      deadline = std::min(deadline, next_claim_);
    }
    deadline = std::min(deadline, last_activity_ + backend_->keep_alive_interval());
    batch.clear();
    if (!queue_.take(batch, std::max<std::size_t>(1, options_.max_batch), deadline)) {
      break;
    }
    if (!batch.empty()) {
      run_batch(batch);
    }
    const auto now = steady::now();
    if (role_.load() == node_role::standby && now >= next_claim_) {
      next_claim_ = now + backend_->claim_interval();
      ensure_serving();
    }
    if (now >= next_sweep_ || sweep_pending) {
      run_housekeeping(sweep_pending);
      next_sweep_ = steady::now() + sweep_interval;
    }
    if (steady::now() - last_activity_ >= backend_->keep_alive_interval()) {
      last_activity_ = steady::now();
      try {
        backend_->keep_alive();
      } catch (const std::exception& e) {
        if (!backend_->still_writer()) {
          become_standby(std::string("the database session ended: ") + e.what(), std::nullopt);
        }
      }
    }
  }
  // Closing: keep the partial minute's usage.
  if (engine_.loaded() && role_.load() != node_role::standby) {
    try {
      engine_.begin_batch();
      engine_.flush_usage();
      backend_->commit(engine_.changes());
      engine_.batch_committed();
    } catch (const std::exception& e) {
      spdlog::warn("could not save the usage of the last minute at shutdown: {}", e.what());
    }
  }
}

void engine_store::run_batch(std::vector<std::unique_ptr<operation>>& batch) {
  if (!ensure_serving()) {
    const auto why = role_.load() == node_role::standby ? standby_status() : commit_failed();
    for (auto& op : batch) {
      op->abort(why);
    }
    return;
  }
  bool applied = false;
  try {
    follow_database_clock(false);
    engine_.begin_batch();
    for (auto& op : batch) {
      op->apply(*this);
    }
    applied = true;
  } catch (const std::exception& e) {
    note_commit(false, std::string("a read during the batch failed: ") + e.what());
    spdlog::error(
        "license database {}: a read during a batch failed ({}); its requests were answered "
        "unavailable; reloading state and continuing",
        backend_->describe(), e.what());
    engine_.reset();
  }
  if (!applied || !commit("could not commit")) {
    const auto why = role_.load() == node_role::standby ? standby_status() : commit_failed();
    for (auto& op : batch) {
      op->abort(why);
    }
    return;
  }
  for (auto& op : batch) {
    try {
      op->answer(*this);
    } catch (const std::exception& e) {
      spdlog::error("a store callback threw ({}); the store keeps running", e.what());
    }
  }
}

bool engine_store::commit(const std::string& doing) {
  try {
    const bool wrote = !engine_.changes().empty();
    if (wrote) {
      retention_more_ = backend_->commit(engine_.changes()).retention_more;
    }
    engine_.batch_committed();
    last_activity_ = steady::now();
    // Only a batch that wrote proves the store can commit again: an empty one (a read, a
    // /healthz round trip) leaves a failed commit's mark where it is.
    if (wrote || !commit_failing_) {
      commit_failing_ = false;
      note_commit(true, {});
    }
    return true;
  } catch (const std::exception& e) {
    commit_failing_ = true;
    note_commit(false, doing + ": " + e.what());
    engine_.reset();
    if (!backend_->still_writer()) {
      become_standby(
          std::string("the database session that held the right to write ended (") + e.what() + ")",
          std::nullopt);
      return false;
    }
    spdlog::error(
        "license database {}: {}: {}; the transaction was rolled back and its requests answered "
        "unavailable; reloading state from the database and continuing (check disk space and "
        "the database's health if this repeats)",
        backend_->describe(), doing, e.what());
    return false;
  }
}

void engine_store::run_housekeeping(bool& sweep_pending) {
  sweep_pending = false;
  if (role_.load() == node_role::standby || !ensure_serving()) {
    return;
  }
  bool retaining = false;
  try {
    follow_database_clock(false);
    engine_.begin_batch();
    sweep_pending = engine_.sweep(sweep_chunk);
    const auto now = steady::now();
    if (now >= next_retention_) {
      engine_.retain();
      retaining = true;
      next_retention_ = now + retention_interval;
    }
    if (now >= next_review_) {
      engine_.review_pools();
      next_review_ = now + std::chrono::seconds(1);
    }
  } catch (const std::exception& e) {
    spdlog::error("housekeeping failed ({}); reloading state", e.what());
    engine_.reset();
    return;
  }
  retention_more_ = false;
  if (commit("expiring leases failed") && retaining && retention_more_) {
    // A backlog (e.g. after retention was shortened) is worked off a chunk per second.
    next_retention_ = steady::now() + sweep_interval;
  }
}

bool engine_store::ensure_serving() {
  const bool standby = role_.load() == node_role::standby;
  if (engine_.loaded() && !standby && backend_->still_writer()) {
    return true;
  }
  try {
    const writer_claim claim = backend_->claim_writer();
    if (claim.result == writer_claim::outcome::other_writer) {
      if (!standby) {
        become_standby("another node holds the right to write", claim.active_node);
      } else {
        std::lock_guard lock(status_mutex_);
        active_node_ = claim.active_node;
      }
      // The database answers and another node serves: a healthy standby.
      note_commit(true, {});
      reload_warned_ = false;
      return false;
    }
    if (claim.result == writer_claim::outcome::unreachable) {
      note_commit(false, claim.reason);
      if (!reload_warned_) {
        spdlog::error(
            "license database {} cannot be reached ({}); answering unavailable and retrying with "
            "every request and every second",
            backend_->describe(), claim.reason);
        reload_warned_ = true;
      }
      return false;
    }
    follow_database_clock(true);
    engine_.load(*backend_);
    if (standby) {
      // Takeover: the start-up work of this node (declared pools, server.started) in its first
      // batch, so the installation reflects the node that now serves.
      engine_.begin_batch();
      if (auto started = engine_.start_up(backend_->describe()); !started) {
        spdlog::error("after taking over: {}", started.message());
      }
      backend_->commit(engine_.changes());
      engine_.batch_committed();
      commit_failing_ = false;
      role_.store(node_role::active);
      {
        std::lock_guard lock(status_mutex_);
        active_node_.reset();
        active_since_ = engine_.now();
        ++takeovers_;
      }
      const auto facts = engine_.facts();
      spdlog::warn(
          "this node took over as the active node of {} ({} pools, {} active leases loaded); it "
          "now serves every request",
          backend_->describe(), facts.pools, facts.leases_active);
    } else if (reload_warned_) {
      spdlog::info("license database {} answers again; state reloaded, serving requests",
                   backend_->describe());
    }
    reload_warned_ = false;
    // Reading the state back proves the database answers, not that it takes writes (a full disk
    // reads fine): after a failed commit, health waits for a batch that writes.
    if (!commit_failing_) {
      note_commit(true, {});
    }
    return true;
  } catch (const std::exception& e) {
    engine_.reset();
    note_commit(false, std::string("reloading state failed: ") + e.what());
    if (!reload_warned_) {
      spdlog::error(
          "reloading license state from {} failed: {}; every request will be answered "
          "unavailable until a reload succeeds (retried with each request and every second)",
          backend_->describe(), e.what());
      reload_warned_ = true;
    }
    return false;
  }
}

void engine_store::become_standby(const std::string& why, std::optional<std::string> active_node) {
  engine_.reset();
  const bool was_active = role_.exchange(node_role::standby) == node_role::active;
  {
    std::lock_guard lock(status_mutex_);
    active_node_ = std::move(active_node);
    active_since_.reset();
  }
  next_claim_ = steady::now() + backend_->claim_interval();
  if (was_active) {
    spdlog::warn(
        "this node is no longer the active node: {}. It dropped its state and answers every "
        "request with 503 until it has reconnected and holds the right to write again (tried "
        "every {} ms); another node may take over meanwhile",
        why, backend_->claim_interval().count());
  } else {
    spdlog::info("this node is a standby: {}; it answers 503 and tries to take over every {} ms",
                 why, backend_->claim_interval().count());
  }
}

void engine_store::note_commit(bool ok, const std::string& problem) {
  can_commit_.store(ok);
  std::lock_guard lock(status_mutex_);
  problem_ = ok ? std::string() : problem;
}

void engine_store::follow_database_clock(bool force) {
  if (!database_clock_) {
    return;
  }
  const auto now = steady::now();
  if (!force && now < next_clock_sync_) {
    return;
  }
  if (auto database_now = backend_->database_time()) {
    database_clock_->set(*database_now);
    next_clock_sync_ = now + clock_sync_interval;
  }
}

protocol::status engine_store::standby_status() const {
  std::lock_guard lock(status_mutex_);
  if (active_node_) {
    return protocol::status::unavailable("this node is a standby; the active node is " +
                                         *active_node_);
  }
  if (!problem_.empty()) {
    return protocol::status::unavailable("this node cannot write now (" + problem_ +
                                         "); it reconnects by itself, retry shortly");
  }
  return protocol::status::unavailable(
      "this node is a standby and no active node is known yet; retry shortly");
}

// --- the reader

void engine_store::post_to_reader(reader_task task) {
  {
    std::lock_guard lock(reader_mutex_);
    if (!reader_stop_) {
      reader_tasks_.push_back(std::move(task));
      reader_wake_.notify_one();
      return;
    }
  }
  task(nullptr, unavailable_closed());
}

void engine_store::run_reader() {
  std::unique_ptr<persistence_reader> reader;
  for (;;) {
    reader_task task;
    {
      std::unique_lock lock(reader_mutex_);
      reader_wake_.wait(lock, [this] { return reader_stop_ || !reader_tasks_.empty(); });
      if (reader_tasks_.empty()) {
        break;
      }
      task = std::move(reader_tasks_.front());
      reader_tasks_.pop_front();
    }
    protocol::status opened = protocol::status::ok();
    if (!reader) {
      try {
        reader = backend_->open_reader();
      } catch (const std::exception& e) {
        opened =
            protocol::status::unavailable(std::string("the license database cannot be read now (") +
                                          e.what() + "); retry shortly");
      }
    }
    try {
      task(reader.get(), opened);
    } catch (const std::exception& e) {
      // A failed read may have broken the connection: open a new one for the next task.
      reader.reset();
      spdlog::warn("a read of the license history failed ({}); reopening the reader", e.what());
    }
  }
}

// --- public methods: enqueue only

void engine_store::checkout(protocol::checkout_request request,
                            callback<checkout_outcome> on_done) {
  submit<checkout_outcome>(std::move(on_done), [request = std::move(request)](engine& e) {
    return e.checkout(request);
  });
}

void engine_store::renew(std::string lease_id, protocol::renew_request request,
                         callback<protocol::lease> on_done) {
  submit<protocol::lease>(std::move(on_done), [id = std::move(lease_id), request](engine& e) {
    return e.renew(id, request);
  });
}

void engine_store::release(std::string lease_id, release_kind kind, std::string actor,
                           callback<done> on_done) {
  submit<done>(std::move(on_done), [id = std::move(lease_id), kind, actor = std::move(actor)](
                                       engine& e) { return e.release(id, kind, actor); });
}

void engine_store::get_lease(std::string lease_id, callback<protocol::lease> on_done) {
  submit<protocol::lease>(std::move(on_done),
                          [id = std::move(lease_id)](engine& e) { return e.get_lease(id); });
}

void engine_store::list_pools(callback<std::vector<protocol::pool_view>> on_done) {
  submit<std::vector<protocol::pool_view>>(std::move(on_done), [](engine& e) {
    return protocol::result<std::vector<protocol::pool_view>>(e.list_pools());
  });
}

void engine_store::get_pool(std::string pool_id, callback<protocol::pool_view> on_done) {
  submit<protocol::pool_view>(std::move(on_done),
                              [id = std::move(pool_id)](engine& e) { return e.get_pool(id); });
}

void engine_store::create_pool(protocol::pool_create_request request, std::string actor,
                               callback<protocol::pool_view> on_done) {
  submit<protocol::pool_view>(std::move(on_done),
                              [request = std::move(request), actor = std::move(actor)](engine& e) {
                                return e.create_pool(request, "api", actor);
                              });
}

void engine_store::update_pool(std::string pool_id, protocol::pool_patch_request patch,
                               std::string actor, callback<protocol::pool_view> on_done) {
  submit<protocol::pool_view>(
      std::move(on_done), [id = std::move(pool_id), patch, actor = std::move(actor)](engine& e) {
        return e.update_pool(id, patch, actor);
      });
}

void engine_store::delete_pool(std::string pool_id, bool force, std::string actor,
                               callback<done> on_done) {
  submit<done>(std::move(on_done), [id = std::move(pool_id), force, actor = std::move(actor)](
                                       engine& e) { return e.delete_pool(id, force, actor); });
}

void engine_store::list_leases(protocol::lease_query query,
                               callback<protocol::lease_page> on_done) {
  submit<protocol::lease_page>(
      std::move(on_done), [query = std::move(query)](engine& e) { return e.list_leases(query); });
}

void engine_store::list_events(protocol::event_query query,
                               callback<protocol::event_page> on_done) {
  if (query.limit < 1 || query.limit > 1000) {
    on_done(protocol::status::invalid("limit", "limit: must be 1..1000"));
    return;
  }
  if (closed_.load()) {
    on_done(unavailable_closed());
    return;
  }
  post_to_reader([query = std::move(query), on_done = std::move(on_done)](
                     persistence_reader* reader, const protocol::status& opened) {
    if (reader == nullptr) {
      on_done(opened);
      return;
    }
    std::vector<protocol::event> events;
    try {
      events = reader->read_events(query, query.limit + 1);
    } catch (const std::exception& e) {
      on_done(protocol::status::unavailable(std::string("reading the events failed (") + e.what() +
                                            "); retry shortly"));
      throw;
    }
    protocol::event_page page;
    if (static_cast<int>(events.size()) > query.limit) {
      events.resize(static_cast<std::size_t>(query.limit));
      page.next = events.back().id;
    }
    page.events = std::move(events);
    on_done(std::move(page));
  });
}

// A usage report: planned on the store's thread (the open minute is in memory), then assembled
// on the reader's thread from the stored rows.
void engine_store::usage(protocol::usage_query query,
                         callback<std::vector<protocol::usage_bucket>> on_done) {
  auto shared_done =
      std::make_shared<callback<std::vector<protocol::usage_bucket>>>(std::move(on_done));
  submit<usage_plan>(
      [this, shared_done](protocol::result<usage_plan> plan) {
        if (!plan) {
          (*shared_done)(plan.error());
          return;
        }
        post_to_reader([plan = std::move(*plan), shared_done](persistence_reader* reader,
                                                              const protocol::status& opened) {
          if (reader == nullptr) {
            (*shared_done)(opened);
            return;
          }
          std::vector<usage_row> rows;
          try {
            rows = reader->read_usage(plan.grain, plan.first, plan.end, plan.edition);
          } catch (const std::exception& e) {
            (*shared_done)(protocol::status::unavailable(std::string("reading the usage failed (") +
                                                         e.what() + "); retry shortly"));
            throw;
          }
          (*shared_done)(assemble_usage_report(plan, rows));
        });
      },
      [query](engine& e) { return e.plan_usage(query); });
}

void engine_store::facts(callback<store_facts> on_done) {
  const std::string backend(backend_->backend_name());
  submit<store_facts>(std::move(on_done), [backend](engine& e) {
    store_facts facts = e.facts();
    facts.backend = backend;
    return protocol::result<store_facts>(std::move(facts));
  });
}

void engine_store::create_token(token_record record, std::string actor,
                                callback<token_record> on_done) {
  submit<token_record>(std::move(on_done),
                       [record = std::move(record), actor = std::move(actor)](engine& e) {
                         return e.create_token(record, actor);
                       });
}

void engine_store::delete_token(std::string name, std::string actor, callback<done> on_done) {
  submit<done>(std::move(on_done), [name = std::move(name), actor = std::move(actor)](engine& e) {
    return e.delete_token(name, actor);
  });
}

void engine_store::put_token(token_record record, std::string actor, callback<done> on_done) {
  submit<done>(std::move(on_done), [record = std::move(record), actor = std::move(actor)](
                                       engine& e) { return e.put_token(record, actor); });
}

void engine_store::record_token_use(std::string name, protocol::unix_seconds at) {
  submit<done>([](protocol::result<done>) {},
               [name = std::move(name), at](engine& e) {
                 e.record_token_use(name, at);
                 return protocol::result<done>(done{});
               });
}

void engine_store::add_signing_key(signing_key_record key, std::string actor,
                                   callback<done> on_done) {
  submit<done>(std::move(on_done), [key = std::move(key), actor = std::move(actor)](engine& e) {
    return e.add_signing_key(key, actor);
  });
}

std::shared_ptr<const credentials> engine_store::current_credentials() const {
  return engine_.current_credentials();
}

protocol::unix_seconds engine_store::now() const {
  return engine_.now();
}

node_status engine_store::node() const {
  node_status status;
  status.role = role_.load();
  status.can_commit = can_commit_.load();
  std::lock_guard lock(status_mutex_);
  status.problem = problem_;
  status.active_node_url = active_node_;
  status.active_since = active_since_;
  status.takeovers = takeovers_;
  return status;
}

void engine_store::close() {
  if (closed_.exchange(true)) {
    return;
  }
  queue_.close();
  if (thread_.joinable()) {
    thread_.join();
  }
  {
    std::lock_guard lock(reader_mutex_);
    reader_stop_ = true;
  }
  reader_wake_.notify_all();
  if (reader_.joinable()) {
    reader_.join();
  }
  if (opened_.load()) {
    try {
      backend_->close();
    } catch (const std::exception& e) {
      spdlog::warn("closing the license database {} failed: {}", backend_->describe(), e.what());
    }
    spdlog::info("license store closed: {}", backend_->describe());
  }
}

}  // namespace vgls::storage
