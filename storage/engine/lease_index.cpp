#include "storage/engine/lease_index.h"

#include <algorithm>
#include <cassert>

namespace vgls::storage {

std::int64_t pool_entry::used(protocol::unix_seconds now) const {
  if (expired(now)) {
    return 0;
  }
  constexpr auto never = std::numeric_limits<protocol::unix_seconds>::min();
  if (now < counted_until_) {
    // Only when a caller asks about an earlier instant than before: recount from scratch.
    ended_ = 0;
    counted_until_ = never;
  }
  // Add the leases that ended since the last call; each second is walked once.
  auto it = counted_until_ == never ? leases_per_expiry_second_.begin()
                                    : leases_per_expiry_second_.upper_bound(counted_until_);
  for (; it != leases_per_expiry_second_.end() && it->first <= now; ++it) {
    ended_ += it->second;
  }
  counted_until_ = now;
  return static_cast<std::int64_t>(leases_by_expiry.size()) - ended_;
}

void pool_entry::count_expiry(protocol::unix_seconds expires_at) {
  ++leases_per_expiry_second_[expires_at];
  if (expires_at <= counted_until_) {
    ++ended_;
  }
}

void pool_entry::uncount_expiry(protocol::unix_seconds expires_at) {
  auto count = leases_per_expiry_second_.find(expires_at);
  if (count != leases_per_expiry_second_.end() && --count->second == 0) {
    leases_per_expiry_second_.erase(count);
  }
  if (expires_at <= counted_until_) {
    --ended_;
  }
}

pool_entry* lease_index::find_pool(std::string_view id) {
  auto it = pools_.find(id);
  return it == pools_.end() ? nullptr : &it->second;
}

pool_entry& lease_index::add_pool(protocol::pool pool) {
  std::string id = pool.id;
  auto [it, inserted] = pools_.try_emplace(std::move(id));
  assert(inserted);
  it->second.pool = std::move(pool);
  return it->second;
}

void lease_index::remove_pool(std::string_view id) {
  auto it = pools_.find(id);
  if (it != pools_.end()) {
    assert(it->second.leases_by_expiry.empty());
    pools_.erase(it);
  }
}

lease_ref lease_index::find_lease(std::string_view id) {
  auto it = leases_.find(id);
  return it == leases_.end() ? nullptr : &*it;
}

lease_ref lease_index::find_client_lease(std::string_view client_id) {
  auto it = by_client_.find(client_id);
  return it == by_client_.end() ? nullptr : it->second;
}

lease_ref lease_index::add_lease(std::string id, lease_record record) {
  auto [it, inserted] = leases_.try_emplace(std::move(id), std::move(record));
  assert(inserted);
  lease_ref lease = &*it;
  pool_entry& pool = *lease->second.pool;
  pool.leases_by_expiry.emplace(lease->second.expires_at, lease);
  pool.count_expiry(lease->second.expires_at);
  pool.leases_by_seq.emplace(lease->second.seq, lease);
  if (lease->second.hostname) {
    by_hostname_.emplace(std::pair{std::string_view(*lease->second.hostname), lease->second.seq},
                         lease);
  }
  // The newest lease of a client is the one that counts; an older one is expired or being replaced.
  // Re-key the entry: its key views the client_id string of the lease it names.
  by_client_.erase(std::string_view(lease->second.client_id));
  by_client_.emplace(std::string_view(lease->second.client_id), lease);
  return lease;
}

namespace {

void unlink_expiry(pool_entry& pool, lease_ref lease) {
  const auto expires_at = lease->second.expires_at;
  pool.leases_by_expiry.erase({expires_at, lease});
  pool.uncount_expiry(expires_at);
}

}  // namespace

void lease_index::set_expiry(lease_ref lease, protocol::unix_seconds expires_at) {
  pool_entry& pool = *lease->second.pool;
  unlink_expiry(pool, lease);
  lease->second.expires_at = expires_at;
  pool.leases_by_expiry.emplace(expires_at, lease);
  pool.count_expiry(expires_at);
}

void lease_index::set_hostname(lease_ref lease, std::optional<std::string> hostname) {
  auto& current = lease->second.hostname;
  if (current) {
    by_hostname_.erase({*current, lease->second.seq});
  }
  current = std::move(hostname);
  if (current) {
    by_hostname_.emplace(std::pair{std::string_view(*current), lease->second.seq}, lease);
  }
}

void lease_index::remove_lease(lease_ref lease) {
  unlink_expiry(*lease->second.pool, lease);
  lease->second.pool->leases_by_seq.erase(lease->second.seq);
  if (lease->second.hostname) {
    by_hostname_.erase({*lease->second.hostname, lease->second.seq});
  }
  auto client = by_client_.find(lease->second.client_id);
  if (client != by_client_.end() && client->second == lease) {
    by_client_.erase(client);
  }
  leases_.erase(leases_.find(lease->first));
}

bool lease_index::is_active(const lease_record& lease, protocol::unix_seconds now) {
  return now < effective_end(lease);
}

protocol::unix_seconds lease_index::effective_end(const lease_record& lease) {
  const auto& pool_expiry = lease.pool->pool.expires_at;
  return pool_expiry ? std::min(lease.expires_at, *pool_expiry) : lease.expires_at;
}

std::int64_t lease_index::active_leases(protocol::unix_seconds now,
                                        std::optional<protocol::edition> edition) const {
  std::int64_t total = 0;
  for (const auto& [id, pool] : pools_) {
    if (!edition || pool.pool.edition == *edition) {
      total += pool.used(now);
    }
  }
  return total;
}

void lease_index::clear() {
  by_hostname_.clear();
  by_client_.clear();
  leases_.clear();
  pools_.clear();
}

}  // namespace vgls::storage
