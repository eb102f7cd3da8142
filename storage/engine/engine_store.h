// The store the server sees, for every backend: the engine on the store's own thread over one
// persistence backend, with group commit. Requests are queued from any thread; the store's thread
// takes up to `max_batch` at a time, applies them to the engine, commits the batch's changeset in
// one transaction, and only then answers each (so an answer always follows durability). Admin
// reads of stored history (events, usage rows) run on a second thread with its own connection,
// so that a long report never delays a checkout.
//
// A failed commit answers the whole batch `unavailable`, marks the node unable to commit, and
// reloads the engine from the database before the next batch; a good commit clears the mark.
// A backend that can lose the right to write (PostgreSQL, SPEC §7) makes this node a standby:
// it drops its state, answers every request `unavailable` naming the active node, and tries to
// take over every takeover interval.
//
// Threading: public methods are thread-safe and only enqueue, except `now`, `node` and
// `current_credentials`, which read atomics. Callbacks run on the store's thread or its reader.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/clock.h"
#include "storage/engine/engine.h"
#include "storage/engine/persistence.h"
#include "storage/engine/work_queue.h"
#include "storage/store.h"
#include "storage/store_options.h"

namespace vgls::storage {

class engine_store final : public store {
 public:
  engine_store(std::unique_ptr<persistence> backend, store_options options);
  ~engine_store() override;

  // Claims the right to write (a standby that cannot does not fail: it waits to take over),
  // loads the state, does the start-up work (trial, declared pools, server.started) and starts
  // the threads. An error (a database that cannot be read, a declared pool that cannot be made)
  // leaves nothing running.
  protocol::status open();

  void checkout(protocol::checkout_request request, callback<checkout_outcome> on_done) override;
  void renew(std::string lease_id, protocol::renew_request request,
             callback<protocol::lease> on_done) override;
  void release(std::string lease_id, release_kind kind, std::string actor,
               callback<done> on_done) override;
  void get_lease(std::string lease_id, callback<protocol::lease> on_done) override;
  void list_pools(callback<std::vector<protocol::pool_view>> on_done) override;
  void get_pool(std::string pool_id, callback<protocol::pool_view> on_done) override;
  void create_pool(protocol::pool_create_request request, std::string actor,
                   callback<protocol::pool_view> on_done) override;
  void update_pool(std::string pool_id, protocol::pool_patch_request patch, std::string actor,
                   callback<protocol::pool_view> on_done) override;
  void delete_pool(std::string pool_id, bool force, std::string actor,
                   callback<done> on_done) override;
  void list_leases(protocol::lease_query query, callback<protocol::lease_page> on_done) override;
  void list_events(protocol::event_query query, callback<protocol::event_page> on_done) override;
  void usage(protocol::usage_query query,
             callback<std::vector<protocol::usage_bucket>> on_done) override;
  void facts(callback<store_facts> on_done) override;
  void create_token(token_record record, std::string actor,
                    callback<token_record> on_done) override;
  void delete_token(std::string name, std::string actor, callback<done> on_done) override;
  void put_token(token_record record, std::string actor, callback<done> on_done) override;
  void record_token_use(std::string name, protocol::unix_seconds at) override;
  void add_signing_key(signing_key_record key, std::string actor, callback<done> on_done) override;
  std::shared_ptr<const credentials> current_credentials() const override;
  protocol::unix_seconds now() const override;
  node_status node() const override;
  node_role role() const override { return role_.load(); }
  void close() override;

 private:
  // One queued request. `apply` runs inside the batch on the store's thread; `answer` after the
  // commit; `abort` instead when the batch failed, the node stands by, or the store is closed.
  struct operation {
    virtual ~operation() = default;
    virtual void apply(engine_store& store) = 0;
    virtual void answer(engine_store& store) = 0;
    virtual void abort(const protocol::status& why) = 0;
  };
  template <class T, class Body>
  struct typed_operation;
  template <class T, class Body>
  void submit(callback<T> on_done, Body body);

  using reader_task = std::function<void(persistence_reader*, const protocol::status&)>;

  void run();
  void run_batch(std::vector<std::unique_ptr<operation>>& batch);
  // Commits the engine's changes; on failure answers nothing, marks the node and recovers.
  bool commit(const std::string& doing);
  void run_housekeeping(bool& sweep_pending);
  // Brings the engine back to serving after a failure or at takeover; false when it cannot (yet).
  bool ensure_serving();
  void become_standby(const std::string& why, std::optional<std::string> active_node);
  void note_commit(bool ok, const std::string& problem);
  void follow_database_clock(bool force);
  protocol::status standby_status() const;
  void start_up_batch();

  void post_to_reader(reader_task task);
  void run_reader();

  std::unique_ptr<persistence> backend_;
  const store_options options_;
  // The clock the engine decides by: the test's, the database's (following_clock) or the host's.
  std::shared_ptr<following_clock> database_clock_;
  std::shared_ptr<const clock> clock_;
  engine engine_;

  work_queue<operation> queue_;
  std::thread thread_;
  std::atomic<bool> closed_{false};
  std::atomic<bool> opened_{false};

  std::mutex reader_mutex_;
  std::condition_variable reader_wake_;
  std::deque<reader_task> reader_tasks_;
  bool reader_stop_ = false;
  std::thread reader_;

  // Node status: atomics for what every request reads, a mutex for the texts.
  std::atomic<node_role> role_{node_role::single};
  std::atomic<bool> can_commit_{true};
  mutable std::mutex status_mutex_;
  std::string problem_;
  std::optional<std::string> active_node_;
  std::optional<protocol::unix_seconds> active_since_;
  std::int64_t takeovers_ = 0;

  // Store thread only.
  std::chrono::steady_clock::time_point next_sweep_{};
  std::chrono::steady_clock::time_point next_retention_{};
  std::chrono::steady_clock::time_point next_review_{};
  std::chrono::steady_clock::time_point next_claim_{};
  std::chrono::steady_clock::time_point next_clock_sync_{};
  std::chrono::steady_clock::time_point last_activity_{};
  bool reload_warned_ = false;
  // The last commit that wrote failed; cleared by the next one that wrote (store's thread).
  bool commit_failing_ = false;
  bool retention_more_ = false;
};

}  // namespace vgls::storage
