// The SQLite store's class, shared by its implementation files (sqlite_store.cpp: lifecycle,
// thread and group commit; lease_operations.cpp; pool_operations.cpp; query_operations.cpp;
// housekeeping.cpp: clock, sweeper, usage minutes, retention). Private to storage/.
//
// Threading: public methods only enqueue. The store's thread owns the connection, the statements
// and all in-memory state; it takes up to max_batch queued operations, applies them in one
// BEGIN IMMEDIATE ... COMMIT, and answers them only after the commit returned (synchronous=FULL).
// `now()` reads two atomics and is safe from any thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/lease_index.h"
#include "storage/sqlite/database.h"
#include "storage/store.h"
#include "storage/store_options.h"
#include "storage/usage_recorder.h"
#include "storage/work_queue.h"

namespace vgls::storage {

class sqlite_store final : public store {
 public:
  sqlite_store(std::filesystem::path path, store_options options);
  ~sqlite_store() override;

  // Opens and migrates the database, loads state, creates trial and declared pools, records
  // server.started and starts the thread. Called once, before any other method.
  protocol::status open();

  void checkout(protocol::checkout_request request, callback<checkout_outcome> on_done) override;
  void renew(std::string lease_id, protocol::renew_request request,
             callback<protocol::lease> on_done) override;
  void release(std::string lease_id, release_kind kind, callback<done> on_done) override;
  void get_lease(std::string lease_id, callback<protocol::lease> on_done) override;
  void list_pools(callback<std::vector<protocol::pool_view>> on_done) override;
  void get_pool(std::string pool_id, callback<protocol::pool_view> on_done) override;
  void create_pool(protocol::pool_create_request request,
                   callback<protocol::pool_view> on_done) override;
  void update_pool(std::string pool_id, protocol::pool_patch_request patch,
                   callback<protocol::pool_view> on_done) override;
  void delete_pool(std::string pool_id, bool force, callback<done> on_done) override;
  void list_leases(protocol::lease_query query, callback<protocol::lease_page> on_done) override;
  void list_events(protocol::event_query query, callback<protocol::event_page> on_done) override;
  void usage(protocol::usage_query query,
             callback<std::vector<protocol::usage_bucket>> on_done) override;
  void facts(callback<store_facts> on_done) override;
  protocol::unix_seconds now() const override;
  void close() override;

 private:
  // One queued request. `apply` runs inside the batch's transaction on the store's thread and may
  // throw (the batch then rolls back); `answer` runs after COMMIT; `abort` instead when the batch
  // failed or the store is closed.
  struct operation {
    virtual ~operation() = default;
    virtual void apply(sqlite_store& store) = 0;
    virtual void answer() = 0;
    virtual void abort(const protocol::status& why) = 0;
  };
  template <class T, class Body>
  struct typed_operation;
  template <class T, class Body>
  void submit(callback<T> on_done, Body body);

  // Cached prepared statements of the hot paths.
  struct statements;

  // --- thread and group commit (sqlite_store.cpp)
  void run();
  // Copies committed WAL frames into the database file from its own connection, so that the
  // writer rarely pays for a checkpoint inside a commit.
  void run_checkpointer();
  void run_batch(std::vector<std::unique_ptr<operation>>& batch);
  void recover_after_failure(const std::string& what);
  void load_state();
  void set_meta(std::string_view key, std::string_view value);
  std::optional<std::string> get_meta(std::string_view key);

  // --- housekeeping (housekeeping.cpp); all inside the current transaction
  void advance_clock();
  void roll_usage_minute();
  void flush_usage_minute(protocol::unix_seconds minute_end);
  // Expires up to `budget` due leases; true when more remain.
  bool sweep(std::size_t budget);
  // Deletes one bounded chunk of what is past retention; true when more remains.
  bool apply_retention();
  std::array<std::int64_t, 4> active_per_edition() const;
  std::int64_t seats_of(protocol::edition edition, protocol::unix_seconds at) const;

  // --- start-up (pool_operations.cpp)
  void create_trial_pools_once();
  void apply_declared_pools();

  // --- operations (lease_operations.cpp, pool_operations.cpp, query_operations.cpp)
  protocol::result<checkout_outcome> do_checkout(const protocol::checkout_request& request);
  protocol::result<protocol::lease> do_renew(const std::string& lease_id,
                                             const protocol::renew_request& request);
  protocol::result<done> do_release(const std::string& lease_id, release_kind kind);
  protocol::result<protocol::lease> do_get_lease(const std::string& lease_id);
  // `source` ("api", "config", "trial") is recorded in the pool.created event.
  protocol::result<protocol::pool_view> do_create_pool(const protocol::pool_create_request& request,
                                                       std::string_view source);
  protocol::result<protocol::pool_view> do_update_pool(const std::string& pool_id,
                                                       const protocol::pool_patch_request& patch);
  protocol::result<done> do_delete_pool(const std::string& pool_id, bool force);
  protocol::result<protocol::lease_page> do_list_leases(const protocol::lease_query& query);
  protocol::result<protocol::event_page> do_list_events(const protocol::event_query& query);
  protocol::result<std::vector<protocol::usage_bucket>> do_usage(
      const protocol::usage_query& query);
  store_facts do_facts() const;

  // --- rows and answer forms (store_records.cpp)
  protocol::pool_view view_of(const pool_entry& pool) const;
  // A lease as answered: times, ttl and renew_after against the batch's now.
  protocol::lease lease_view(lease_ref lease) const;
  // Reads what the client said of itself (hostname, profile, labels, skew) into `lease`.
  void load_self_description(protocol::lease& lease, std::int64_t seq);
  void write_pool(const protocol::pool& pool, bool insert);
  // protocol::format_rfc3339, remembering the last answer; valid until the next call.
  std::string_view rfc3339(protocol::unix_seconds t);
  // Ends one lease: deletes its row, records `type` with `detail_json` (a JSON object's text),
  // removes it from memory.
  void end_lease(lease_ref lease, std::string_view type, std::string_view detail_json);
  std::int64_t record_event(std::string_view type, std::optional<std::string_view> pool_id,
                            std::optional<std::string_view> lease_id,
                            std::optional<std::string_view> client_id,
                            std::optional<protocol::edition> edition, const nlohmann::json& detail);
  // The same with the detail already encoded: the hot lease events write their few fields
  // directly (keys in nlohmann's sorted order, so the text is what `dump()` would give).
  std::int64_t record_event_text(std::string_view type, std::optional<std::string_view> pool_id,
                                 std::optional<std::string_view> lease_id,
                                 std::optional<std::string_view> client_id,
                                 std::optional<protocol::edition> edition,
                                 std::string_view detail_json);

  const std::filesystem::path path_;
  const store_options options_;
  std::shared_ptr<const clock> clock_;

  std::optional<sqlite::database> db_;
  std::unique_ptr<statements> sql_;
  lease_index index_;
  // Reused for encoding event details, so that recording an event allocates nothing.
  std::string detail_buffer_;
  // The last time formatted by `rfc3339`: a batch's leases mostly share one expiry second.
  protocol::unix_seconds formatted_time_ = 0;
  std::string formatted_time_text_;
  usage_recorder usage_;
  bool state_loaded_ = false;  // false after a failed reload: every batch retries it first

  // Effective time of the current batch; never decreases.
  protocol::unix_seconds batch_now_ = 0;
  std::atomic<protocol::unix_seconds> high_water_{0};
  protocol::unix_seconds persisted_high_water_ = 0;
  std::atomic<bool> clock_rollback_{false};
  std::int64_t leases_expired_total_ = 0;
  std::int64_t last_event_id_ = 0;
  std::chrono::steady_clock::time_point next_sweep_{};
  std::chrono::steady_clock::time_point next_retention_{};

  work_queue<operation> queue_;
  std::thread thread_;
  std::thread checkpointer_;
  std::mutex checkpointer_mutex_;
  std::condition_variable checkpointer_wake_;
  bool checkpointer_stop_ = false;
  std::atomic<bool> closed_{false};
};

}  // namespace vgls::storage
