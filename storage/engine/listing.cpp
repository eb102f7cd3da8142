// The admin's lease listing (SPEC §2 GET /v1/leases), answered from memory.
#include <algorithm>
#include <charconv>
#include <map>
#include <vector>

#include "storage/engine/engine.h"

namespace vgls::storage {

namespace {

using protocol::status;

}  // namespace

protocol::result<protocol::lease_page> engine::list_leases(const protocol::lease_query& query) {
  if (query.limit < 1 || query.limit > 1000) {
    return status::invalid("limit", "limit: must be 1..1000");
  }
  std::int64_t after = 0;
  if (query.after) {
    const auto& text = *query.after;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), after);
    if (error != std::errc() || end != text.data() + text.size() || after < 0) {
      return status::invalid("after", "after: not a cursor from a previous page");
    }
  }
  const auto now = batch_now_;
  const std::string_view prefix =
      query.hostname_prefix ? std::string_view(*query.hostname_prefix) : std::string_view();
  // Active only (SPEC §1 rule 1), in a pool the filters name.
  auto in_chosen_pool = [&](const pool_entry& pool) {
    return (!query.pool_id || pool.pool.id == *query.pool_id) &&
           (!query.edition || pool.pool.edition == *query.edition) && !pool.expired(now);
  };
  auto matches = [&](const lease_record& record) {
    return lease_index::is_active(record, now) && in_chosen_pool(*record.pool) &&
           (prefix.empty() || (record.hostname && record.hostname->starts_with(prefix)));
  };

  // Up to limit + 1 matches after the cursor, in issue order (the extra one says there is more).
  const auto wanted = static_cast<std::size_t>(query.limit) + 1;
  std::vector<lease_ref> found;
  std::int64_t total = 0;
  if (query.client_id) {
    // A client holds at most one active lease; memory knows which.
    lease_ref held = index_.find_client_lease(*query.client_id);
    if (held != nullptr && matches(held->second)) {
      total = 1;
      if (held->second.seq > after) {
        found.push_back(held);
      }
    }
  } else if (!prefix.empty()) {
    // Work in proportion to the hostnames that match, not to every lease.
    index_.for_each_hostname_prefix(prefix, [&](lease_ref lease) {
      if (matches(lease->second)) {
        ++total;
        if (lease->second.seq > after) {
          found.push_back(lease);
        }
      }
    });
    auto by_seq = [](lease_ref a, lease_ref b) { return a->second.seq < b->second.seq; };
    const auto kept = std::min(found.size(), wanted);
    std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(kept), found.end(),
                      by_seq);
    found.resize(kept);
  } else {
    // Merge the chosen pools' issue orders; totals are exact and free (no lease is visited).
    struct pool_cursor {
      std::map<std::int64_t, lease_ref>::const_iterator next, end;
    };
    std::vector<pool_cursor> cursors;
    for (const auto& [id, pool] : index_.pools()) {
      if (in_chosen_pool(pool)) {
        total += pool.used(now);
        cursors.push_back({pool.leases_by_seq.upper_bound(after), pool.leases_by_seq.end()});
      }
    }
    while (found.size() < wanted) {
      pool_cursor* first = nullptr;
      for (auto& cursor : cursors) {
        if (cursor.next != cursor.end &&
            (first == nullptr || cursor.next->first < first->next->first)) {
          first = &cursor;
        }
      }
      if (first == nullptr) {
        break;
      }
      const lease_ref lease = (first->next++)->second;
      if (lease_index::is_active(lease->second, now)) {
        found.push_back(lease);
      }
    }
  }

  protocol::lease_page page;
  page.total = total;
  if (found.size() == wanted) {
    found.pop_back();
    page.next = std::to_string(found.back()->second.seq);  // keyset cursor: the last seq shown
  }
  for (const lease_ref lease : found) {
    page.leases.push_back(lease_view(lease));
  }
  return page;
}

}  // namespace vgls::storage
