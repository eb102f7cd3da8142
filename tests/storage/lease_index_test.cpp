// The in-memory index alone: `used` must equal a brute-force count of active leases at every
// instant, whatever mix of grants, renewals, removals and pool changes came before.
#include "storage/engine/lease_index.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

using namespace vgls;
using namespace vgls::storage;

namespace {

std::int64_t brute_force_used(lease_index& index, pool_entry& pool, protocol::unix_seconds now,
                              const std::vector<std::string>& ids) {
  std::int64_t active = 0;
  for (const auto& id : ids) {
    lease_ref lease = index.find_lease(id);
    if (lease != nullptr && lease->second.pool == &pool &&
        lease_index::is_active(lease->second, now)) {
      ++active;
    }
  }
  return active;
}

}  // namespace

TEST_CASE("used matches a brute-force count under random changes", "[lease_index]") {
  lease_index index;
  protocol::pool pool;
  pool.id = "p";
  pool.seats = 1000;
  pool.expires_at = 1'000'000;
  pool_entry& entry = index.add_pool(pool);

  std::mt19937 random(42);
  std::vector<std::string> ids;
  protocol::unix_seconds now = 1000;
  for (int step = 0; step < 5000; ++step) {
    const int action = static_cast<int>(random() % 10);
    if (action < 4) {
      lease_record record;
      record.client_id = "c" + std::to_string(step);
      record.pool = &entry;
      record.expires_at = now + 1 + static_cast<protocol::unix_seconds>(random() % 50);
      ids.push_back("l" + std::to_string(step));
      index.add_lease(ids.back(), record);
    } else if (action < 6 && !ids.empty()) {
      lease_ref lease = index.find_lease(ids[random() % ids.size()]);
      if (lease != nullptr) {
        index.remove_lease(lease);  // released, or swept after its end
      }
    } else if (action < 7 && !ids.empty()) {
      lease_ref lease = index.find_lease(ids[random() % ids.size()]);
      if (lease != nullptr && lease_index::is_active(lease->second, now)) {
        index.set_expiry(lease, now + 1 + static_cast<protocol::unix_seconds>(random() % 50));
      }
    } else {
      now += static_cast<protocol::unix_seconds>(random() % 5);
    }
    REQUIRE(entry.used(now) == brute_force_used(index, entry, now, ids));
  }
}

TEST_CASE("an expired pool has no active leases; a client's newest lease is the one found",
          "[lease_index]") {
  lease_index index;
  protocol::pool pool;
  pool.id = "p";
  pool.expires_at = 100;
  pool_entry& entry = index.add_pool(pool);
  lease_record old_lease;
  old_lease.seq = 1;
  old_lease.client_id = "vm";
  old_lease.pool = &entry;
  old_lease.expires_at = 50;
  lease_record new_lease = old_lease;
  new_lease.seq = 2;
  new_lease.expires_at = 90;
  index.add_lease("old", old_lease);
  lease_ref newest = index.add_lease("new", new_lease);
  CHECK(index.find_client_lease("vm") == newest);
  CHECK(entry.used(60) == 1);
  index.remove_lease(index.find_lease("old"));  // the sweeper removing the older one
  CHECK(index.find_client_lease("vm") == newest);
  CHECK(entry.used(100) == 0);
  CHECK(lease_index::effective_end(newest->second) == 90);
}
