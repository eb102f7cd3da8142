// The rows one batch writes: the net effect of the batch's operations on every key, so that a
// backend writes each row once, in one transaction, in whatever order suits it. The engine records
// here what it changed in memory; a backend's commit reads it; then it is cleared for the next
// batch (keeping its capacity, so that a steady load allocates little).
//
// Leases are recorded by reference to the engine's memory and read at commit time, so a lease
// changed several times in one batch is written once, with its final values; a lease made and
// ended in the same batch is not written at all.
//
// Thread-safety: none; owned by the store's thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/engine/lease_index.h"
#include "storage/engine/rows.h"
#include "storage/store.h"

namespace vgls::storage {

class changeset {
 public:
  changeset() = default;
  changeset(const changeset&) = delete;
  changeset& operator=(const changeset&) = delete;

  // --- recording (the engine)
  void lease_inserted(lease_ref lease);
  // Any column but the keys changed.
  void lease_updated(lease_ref lease);
  // Call before the lease leaves memory.
  void lease_deleted(lease_ref lease);

  void pool_put(const protocol::pool& pool, protocol::unix_seconds created_at);
  void pool_deleted(std::string_view id);

  // Texts are copied; `type` must be one of protocol::event_type's static names.
  void event(std::int64_t id, protocol::unix_seconds at, std::string_view type,
             std::optional<std::string_view> pool_id, std::optional<std::string_view> lease_id,
             std::optional<std::string_view> client_id, std::optional<protocol::edition> edition,
             std::string_view detail_json);

  void set_meta(std::string_view key, std::string value);
  void add_usage(const usage_row& row);
  void add_lease_ending(lease_ending_row row);
  void put_token(const token_record& token);
  void delete_token(std::string_view name);
  void put_signing_key(const signing_key_record& key);
  void retain(const retention_pass& pass) { retention_ = pass; }

  // --- reading (a backend's commit)
  bool empty() const;

  // Calls `write(const lease_write&)` for each lease to insert or update, in the order first
  // recorded. Views are valid during the call only.
  template <class Write>
  void for_each_lease_write(Write write) const {
    for (const dirty_lease& entry : leases_) {
      if (entry.lease != nullptr) {
        write(lease_write_of(entry));
      }
    }
  }
  const std::vector<std::int64_t>& deleted_lease_seqs() const { return deleted_leases_; }

  // Pools by id: a value to write (insert or replace), or nullopt to delete.
  template <class Write>
  void for_each_pool(Write write) const {
    for (const auto& [id, pool] : pools_) {
      if (pool) {
        write(id, pool_write{&pool->pool, pool->created_at});
      } else {
        write(id, std::optional<pool_write>());
      }
    }
  }

  template <class Write>
  void for_each_event(Write write) const {
    for (const event_entry& entry : events_) {
      write(view_of(entry));
    }
  }
  std::size_t event_count() const { return events_.size(); }

  const std::map<std::string, std::string, std::less<>>& meta() const { return meta_; }
  const std::vector<usage_row>& usage() const { return usage_; }
  const std::vector<lease_ending_row>& lease_endings() const { return endings_; }
  // Tokens by name: a value to write, or nullopt to delete.
  const std::map<std::string, std::optional<token_record>, std::less<>>& tokens() const {
    return tokens_;
  }
  const std::vector<signing_key_record>& signing_keys() const { return keys_; }
  const std::optional<retention_pass>& retention() const { return retention_; }

  // The pool of a lease that ended by its pool's expiry in this batch, if any.
  std::optional<std::string> ending_of(std::string_view lease_id) const;

  void clear();

 private:
  struct dirty_lease {
    lease_ref lease = nullptr;  // null once deleted in the same batch
    bool inserted = false;
  };
  struct stored_pool {
    protocol::pool pool;
    protocol::unix_seconds created_at = 0;
  };
  // A text copied into `text_`; `size == npos` stands for an absent optional.
  struct text_ref {
    std::size_t offset = 0;
    std::size_t size = std::string_view::npos;
  };
  struct event_entry {
    std::int64_t id = 0;
    protocol::unix_seconds at = 0;
    std::string_view type;
    text_ref pool_id, lease_id, client_id, detail;
    std::optional<protocol::edition> edition;
  };

  lease_write lease_write_of(const dirty_lease& entry) const;
  text_ref keep(std::optional<std::string_view> text);
  std::optional<std::string_view> view(text_ref ref) const;
  event_write view_of(const event_entry& entry) const;

  std::vector<dirty_lease> leases_;
  std::unordered_map<std::int64_t, std::size_t> lease_positions_;  // seq → index in leases_
  std::vector<std::int64_t> deleted_leases_;
  std::map<std::string, std::optional<stored_pool>, std::less<>> pools_;
  std::vector<event_entry> events_;
  std::string text_;
  std::map<std::string, std::string, std::less<>> meta_;
  std::vector<usage_row> usage_;
  std::vector<lease_ending_row> endings_;
  std::map<std::string, std::optional<token_record>, std::less<>> tokens_;
  std::vector<signing_key_record> keys_;
  std::optional<retention_pass> retention_;
  // The labels of the lease being written, as JSON (only leases with labels use it).
  mutable std::string labels_text_;
};

// The JSON object text of a lease's labels: "{}" when there are none.
std::string labels_json(const protocol::labels& labels);

}  // namespace vgls::storage
