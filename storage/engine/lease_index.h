// The engine's in-memory, authoritative picture of pools and leases, rebuilt from the database at
// open and after a failed commit. It answers every seat decision without touching the database and
// without work proportional to the number of leases:
//   - leases by id, and the lease each client holds (possibly already expired, see below);
//   - per pool, its leases ordered by their own expiry (the sweeper takes expired ones from the
//     front), and a count of leases per expiry second so that "active now" is exact even for
//     leases that expired logically but were not swept yet;
//   - per pool, its leases in issue order, and the leases ordered by hostname: the admin's lease
//     listing and its filters read these, so that a backend keeps no index on leases but the key.
// A lease is active iff now < min(lease.expires_at, pool.expires_at) (SPEC §1 rule 1); released
// and revoked leases are removed at once, so they are never here.
//
// Thread-safety: none; owned by the store's thread.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "protocol/edition.h"
#include "protocol/lease.h"
#include "protocol/pool.h"
#include "protocol/time.h"

namespace vgls::storage {

struct pool_entry;

// Everything the store knows of one lease: the engine answers from memory alone, and writes the
// whole row whenever the lease changes.
struct lease_record {
  std::int64_t seq = 0;  // the row's key, in issue order
  std::string client_id;
  pool_entry* pool = nullptr;
  protocol::edition requested_edition = protocol::edition::vapp;
  protocol::edition granted_edition = protocol::edition::vapp;
  protocol::unix_seconds issued_at = 0;
  protocol::unix_seconds renewed_at = 0;
  protocol::unix_seconds expires_at = 0;  // the lease's own end; its pool's end may come first
  // What the client said of itself. Change the hostname through lease_index::set_hostname: the
  // listing's hostname filter reads an ordered map of it.
  std::optional<std::string> hostname;
  std::optional<std::string> vgpu_profile;
  protocol::labels labels;
  // Seconds the client's clock was ahead of the store's when it last said (client_time).
  std::optional<std::int64_t> client_clock_skew;
};

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

using lease_map = std::unordered_map<std::string, lease_record, string_hash, std::equal_to<>>;
// A stable pointer to one lease (id and record); valid until the lease is removed.
using lease_ref = lease_map::value_type*;

struct pool_entry {
  protocol::pool pool;
  std::set<std::pair<protocol::unix_seconds, lease_ref>> leases_by_expiry;
  std::map<std::int64_t, lease_ref> leases_by_seq;  // issue order

  // Active leases at `now`: 0 once the pool expired, else those whose own end is after now.
  // Amortised O(1): the store's time never goes back, so the count of ended leases is carried
  // forward from the last call instead of being recounted.
  std::int64_t used(protocol::unix_seconds now) const;
  bool expired(protocol::unix_seconds now) const {
    return pool.expires_at && now >= *pool.expires_at;
  }

  // Keep the per-second counts in step with `leases_by_expiry`.
  void count_expiry(protocol::unix_seconds expires_at);
  void uncount_expiry(protocol::unix_seconds expires_at);

 private:
  std::map<protocol::unix_seconds, std::int64_t> leases_per_expiry_second_;
  // Leases whose end is <= counted_until_, as of the last `used` call.
  mutable std::int64_t ended_ = 0;
  mutable protocol::unix_seconds counted_until_ =
      std::numeric_limits<protocol::unix_seconds>::min();
};

class lease_index {
 public:
  lease_index() = default;
  lease_index(const lease_index&) = delete;
  lease_index& operator=(const lease_index&) = delete;

  // Pools, ordered by id.
  std::map<std::string, pool_entry, std::less<>>& pools() { return pools_; }
  const std::map<std::string, pool_entry, std::less<>>& pools() const { return pools_; }
  pool_entry* find_pool(std::string_view id);
  pool_entry& add_pool(protocol::pool pool);
  // The pool must hold no leases any more.
  void remove_pool(std::string_view id);

  lease_ref find_lease(std::string_view id);
  // The lease the client holds or held last; check `is_active` before trusting it.
  lease_ref find_client_lease(std::string_view client_id);
  lease_ref add_lease(std::string id, lease_record record);
  void set_expiry(lease_ref lease, protocol::unix_seconds expires_at);
  void set_hostname(lease_ref lease, std::optional<std::string> hostname);
  void remove_lease(lease_ref lease);

  // Calls `visit(lease_ref)` for every lease whose hostname starts with `prefix` (non-empty), in
  // hostname order; work proportional to the matches, not to all leases.
  template <class Visit>
  void for_each_hostname_prefix(std::string_view prefix, Visit visit) const {
    const std::pair<std::string_view, std::int64_t> first(prefix,
                                                          std::numeric_limits<std::int64_t>::min());
    for (auto it = by_hostname_.lower_bound(first);
         it != by_hostname_.end() && it->first.first.starts_with(prefix); ++it) {
      visit(it->second);
    }
  }

  static bool is_active(const lease_record& lease, protocol::unix_seconds now);
  // The end that counts: the lease's own, or its pool's when that comes first.
  static protocol::unix_seconds effective_end(const lease_record& lease);

  // Sum of `used` over all pools (of one granted edition, when given).
  std::int64_t active_leases(protocol::unix_seconds now,
                             std::optional<protocol::edition> edition = std::nullopt) const;
  std::size_t lease_count() const { return leases_.size(); }

  void clear();

 private:
  std::map<std::string, pool_entry, std::less<>> pools_;
  lease_map leases_;
  std::unordered_map<std::string_view, lease_ref> by_client_;
  // (hostname, seq) → lease for every lease with a hostname; the view is of the record's string.
  std::map<std::pair<std::string_view, std::int64_t>, lease_ref> by_hostname_;
};

}  // namespace vgls::storage
