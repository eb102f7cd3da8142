// The engine: every seat rule of SPEC §1 and every decision of the store, made in memory against
// the lease index, whatever the backend. An operation changes memory and records the rows it
// changed in the batch's changeset; the store then commits the changeset and answers. A failed
// commit leaves memory ahead of the database, so the store resets the engine and loads it again.
//
// The engine also keeps the clock's high-water mark (rule 6), the open minute of usage, event
// ids (which only grow), the credentials (tokens and signing keys), and says what an operator
// must act on (operator_notices).
//
// Threading: everything but `now`, `clock_rollback` and `current_credentials` runs on the store's
// thread. Those three read atomics or a published snapshot and are safe from any thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/requests.h"
#include "protocol/status.h"
#include "storage/clock.h"
#include "storage/engine/changeset.h"
#include "storage/engine/lease_index.h"
#include "storage/engine/operator_notices.h"
#include "storage/engine/persistence.h"
#include "storage/engine/usage_recorder.h"
#include "storage/engine/usage_report.h"
#include "storage/published.h"
#include "storage/store.h"
#include "storage/store_options.h"

namespace vgls::storage {

class engine final : private snapshot_sink {
 public:
  // `lookups` answers the rare reads that memory does not hold (lease endings).
  engine(const store_options& options, std::shared_ptr<const clock> wall_clock,
         persistence& lookups);
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  // --- state
  // Forgets everything held in memory (before a reload, or when this node stands by).
  void reset();
  // Loads the stored state through `from.load`. Throws what the backend throws.
  void load(persistence& from);
  bool loaded() const { return loaded_; }

  // --- batches
  // Starts a batch at the clock's time: advances the high-water mark, closes a finished usage
  // minute.
  void begin_batch();
  changeset& changes() { return changes_; }
  // The batch's changes are durable: clear them, publish what changed.
  void batch_committed();

  // The installation's start-up work, inside the first batch: trial pools on the very first
  // start, declared pools, server.started. An error (a declared pool that cannot be made) stops
  // the start.
  protocol::status start_up(std::string_view storage_description);

  // --- client operations
  protocol::result<checkout_outcome> checkout(const protocol::checkout_request& request);
  protocol::result<protocol::lease> renew(const std::string& lease_id,
                                          const protocol::renew_request& request);
  protocol::result<done> release(const std::string& lease_id, release_kind kind,
                                 std::string_view actor);
  protocol::result<protocol::lease> get_lease(const std::string& lease_id);

  // --- admin operations
  std::vector<protocol::pool_view> list_pools();
  protocol::result<protocol::pool_view> get_pool(const std::string& pool_id);
  // `source` ("api", "config", "trial") is recorded in the pool.created event.
  protocol::result<protocol::pool_view> create_pool(const protocol::pool_create_request& request,
                                                    std::string_view source,
                                                    std::string_view actor);
  protocol::result<protocol::pool_view> update_pool(const std::string& pool_id,
                                                    const protocol::pool_patch_request& patch,
                                                    std::string_view actor);
  protocol::result<done> delete_pool(const std::string& pool_id, bool force,
                                     std::string_view actor);
  protocol::result<protocol::lease_page> list_leases(const protocol::lease_query& query);
  // The memory half of a usage report; the reader thread adds the stored rows.
  protocol::result<usage_plan> plan_usage(const protocol::usage_query& query);
  store_facts facts() const;

  // --- tokens and keys
  protocol::result<token_record> create_token(token_record record, std::string_view actor);
  protocol::result<done> delete_token(const std::string& name, std::string_view actor);
  protocol::result<done> put_token(token_record record, std::string_view actor);
  void record_token_use(const std::string& name, protocol::unix_seconds at);
  protocol::result<done> add_signing_key(signing_key_record key, std::string_view actor);
  std::shared_ptr<const credentials> current_credentials() const;

  // --- housekeeping, each inside a batch
  // Expires up to `budget` due leases; true when more remain.
  bool sweep(std::size_t budget);
  // Records one bounded retention pass in the changeset.
  void retain();
  // Daily and state-change notices about pools (ending soon, ended, full).
  void review_pools();
  // Writes the open minute's usage (at close).
  void flush_usage();

  // --- thread-safe
  protocol::unix_seconds now() const;
  bool clock_rollback() const { return clock_rollback_.load(); }
  protocol::unix_seconds high_water() const { return high_water_.load(); }

 private:
  // snapshot_sink
  void meta(std::string key, std::string value) override;
  void pool(protocol::pool pool) override;
  void lease(lease_row row) override;
  void token(token_record token) override;
  void signing_key(signing_key_record key) override;
  void last_event_id(std::int64_t id) override;

  void advance_clock();
  void set_meta(std::string_view key, std::string value);
  std::optional<std::string_view> meta_value(std::string_view key) const;
  void create_trial_pools_once();
  protocol::status apply_declared_pools();
  void roll_usage_minute();
  void flush_usage_minute(protocol::unix_seconds minute_end);
  std::array<std::int64_t, 4> active_per_edition() const;
  std::int64_t seats_of(protocol::edition edition, protocol::unix_seconds at) const;

  protocol::pool_view view_of(const pool_entry& pool) const;
  // A lease as answered: times, ttl and renew_after against the batch's now.
  protocol::lease lease_view(lease_ref lease) const;
  std::string_view rfc3339(protocol::unix_seconds t);
  // Ends one lease: records `type` with `detail_json`, removes it from memory and storage.
  void end_lease(lease_ref lease, std::string_view type, std::string_view detail_json);
  std::int64_t record_event(std::string_view type, std::optional<std::string_view> pool_id,
                            std::optional<std::string_view> lease_id,
                            std::optional<std::string_view> client_id,
                            std::optional<protocol::edition> edition, const nlohmann::json& detail);
  // The same with the detail already encoded (the hot lease events).
  std::int64_t record_event_text(std::string_view type, std::optional<std::string_view> pool_id,
                                 std::optional<std::string_view> lease_id,
                                 std::optional<std::string_view> client_id,
                                 std::optional<protocol::edition> edition,
                                 std::string_view detail_json);
  void publish_credentials();

  const store_options& options_;
  std::shared_ptr<const clock> clock_;
  persistence& lookups_;

  lease_index index_;
  changeset changes_;
  usage_recorder usage_;
  operator_notices notices_;
  std::map<std::string, std::string, std::less<>> meta_;
  std::map<std::string, token_record, std::less<>> tokens_;
  std::vector<signing_key_record> keys_;
  bool credentials_changed_ = false;
  published<credentials> credentials_;
  bool loaded_ = false;
  // Reused for encoding event details, so that recording an event allocates nothing.
  std::string detail_buffer_;
  // The last time formatted by `rfc3339`: a batch's leases mostly share one expiry second.
  protocol::unix_seconds formatted_time_ = 0;
  std::string formatted_time_text_;

  // Effective time of the current batch; never decreases.
  protocol::unix_seconds batch_now_ = 0;
  std::atomic<protocol::unix_seconds> high_water_{0};
  protocol::unix_seconds persisted_high_water_ = 0;
  std::atomic<bool> clock_rollback_{false};
  std::int64_t leases_expired_total_ = 0;
  std::int64_t last_event_id_ = 0;
  std::int64_t last_lease_seq_ = 0;
};

}  // namespace vgls::storage
