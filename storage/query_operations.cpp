// Admin reads: lease listing, the event trail, the usage report and server facts.
#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>
#include <vector>

#include "storage/sqlite_store_impl.h"
#include "storage/store_statements.h"

namespace vgls::storage {

namespace {

using protocol::status;

constexpr std::int64_t max_usage_rows = 100'000;

}  // namespace

protocol::result<protocol::lease_page> sqlite_store::do_list_leases(
    const protocol::lease_query& query) {
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
    protocol::lease view = lease_view(lease);
    if (lease->second.self_described) {
      load_self_description(view, lease->second.seq);
    }
    page.leases.push_back(std::move(view));
  }
  return page;
}

protocol::result<protocol::event_page> sqlite_store::do_list_events(
    const protocol::event_query& query) {
  if (query.limit < 1 || query.limit > 1000) {
    return status::invalid("limit", "limit: must be 1..1000");
  }
  std::string select =
      "SELECT id, at, type, pool_id, lease_id, client_id, edition, detail FROM events"
      " WHERE id > ?1";
  if (query.type) {
    select += " AND type = ?2";
  }
  select += " ORDER BY id LIMIT " + std::to_string(query.limit + 1);
  auto rows = db_->prepare(select);
  rows.bind(1, query.after);
  if (query.type) {
    rows.bind(2, *query.type);
  }
  protocol::event_page page;
  while (rows.step()) {
    if (static_cast<int>(page.events.size()) == query.limit) {
      page.next = page.events.back().id;
      rows.reset();
      break;
    }
    protocol::event event;
    event.id = rows.int64(0);
    event.at = rows.int64(1);
    event.type = rows.text(2);
    event.pool_id = rows.optional_text(3);
    event.lease_id = rows.optional_text(4);
    event.client_id = rows.optional_text(5);
    if (auto edition = rows.optional_text(6)) {
      event.edition = protocol::parse_edition(*edition);
    }
    event.detail = nlohmann::json::parse(rows.text(7), nullptr, false);
    if (event.detail.is_discarded()) {
      event.detail = nlohmann::json::object();
    }
    page.events.push_back(std::move(event));
  }
  return page;
}

protocol::result<std::vector<protocol::usage_bucket>> sqlite_store::do_usage(
    const protocol::usage_query& query) {
  const auto bucket = query.bucket_seconds;
  if (bucket != 60 && bucket != 300 && bucket != 900 && bucket != 3600 && bucket != 21600 &&
      bucket != 86400) {
    return status::invalid("bucket", "bucket: must be one of 1m, 5m, 15m, 1h, 6h, 1d");
  }
  if (query.to < query.from) {
    return status::invalid("from", "from: must not be later than to");
  }
  // Buckets are aligned to multiples of their length since the epoch (UTC midnight for 1d); the
  // first is the one containing `from`; `to` is exclusive; nothing after now is reported.
  const auto align = [bucket](protocol::unix_seconds t) {
    return t - (((t % bucket) + bucket) % bucket);
  };
  const auto first = align(query.from);
  const auto end = std::min(query.to, batch_now_ + 1);
  const std::int64_t bucket_count = end > first ? (end - first + bucket - 1) / bucket : 0;
  const std::int64_t editions = query.edition ? 1 : 4;
  if (bucket_count * editions > max_usage_rows) {
    return status::invalid("from", "the period holds " + std::to_string(bucket_count * editions) +
                                       " rows; ask for at most " + std::to_string(max_usage_rows) +
                                       " (a shorter period or a larger bucket)");
  }

  // The coarsest table whose grain divides the bucket.
  const char* table = bucket % 86400 == 0  ? "usage_day"
                      : bucket % 3600 == 0 ? "usage_hour"
                                           : "usage_minute";
  struct aggregate {
    std::int64_t peak_used = 0;
    std::int64_t granted = 0;
    std::int64_t denied = 0;
    std::int64_t seats = 0;
    protocol::unix_seconds seats_at = -1;  // start of the row that gave `seats`
  };
  std::map<std::pair<protocol::unix_seconds, protocol::edition>, aggregate> buckets;
  auto merge = [&](protocol::unix_seconds start, protocol::edition edition, std::int64_t peak,
                   std::int64_t seats, std::int64_t granted, std::int64_t denied) {
    aggregate& a = buckets[{align(start), edition}];
    a.peak_used = std::max(a.peak_used, peak);
    a.granted += granted;
    a.denied += denied;
    if (start >= a.seats_at) {
      a.seats = seats;
      a.seats_at = start;
    }
  };

  std::string select =
      std::string("SELECT start, edition, peak_used, seats, granted, denied FROM ") + table +
      " WHERE start >= ?1 AND start < ?2";
  if (query.edition) {
    select += " AND edition = ?3";
  }
  select += " ORDER BY start";
  auto rows = db_->prepare(select);
  rows.bind(1, first);
  rows.bind(2, end);
  if (query.edition) {
    rows.bind(3, protocol::to_string(*query.edition));
  }
  while (rows.step()) {
    const auto edition = protocol::parse_edition(rows.text(1));
    if (!edition) {
      continue;
    }
    merge(rows.int64(0), *edition, rows.int64(2), rows.int64(3), rows.int64(4), rows.int64(5));
  }
  // The minute still open lives only in memory; its seats are the seats now.
  if (usage_.started() && usage_.minute_start() >= first && usage_.minute_start() < end) {
    for (protocol::edition edition : protocol::all_editions) {
      if (query.edition && *query.edition != edition) {
        continue;
      }
      const usage_counts& counts = usage_.counts(edition);
      merge(usage_.minute_start(), edition, counts.peak_used, seats_of(edition, batch_now_),
            counts.granted, counts.denied);
    }
  }

  // Dense: every bucket and edition, zeros where nothing was recorded (the server was down).
  std::vector<protocol::usage_bucket> answer;
  answer.reserve(static_cast<std::size_t>(bucket_count * editions));
  for (auto start = first; start < end; start += bucket) {
    for (protocol::edition edition : protocol::all_editions) {
      if (query.edition && *query.edition != edition) {
        continue;
      }
      protocol::usage_bucket row;
      row.start = start;
      row.edition = edition;
      if (auto found = buckets.find({start, edition}); found != buckets.end()) {
        row.peak_used = found->second.peak_used;
        row.seats = found->second.seats;
        row.granted = found->second.granted;
        row.denied = found->second.denied;
      }
      answer.push_back(row);
    }
  }
  return answer;
}

store_facts sqlite_store::do_facts() const {
  store_facts facts;
  facts.backend = "sqlite";
  facts.time = batch_now_;
  facts.clock_high_water = high_water_.load();
  facts.clock_rollback = clock_rollback_.load();
  facts.leases_active = index_.active_leases(batch_now_);
  facts.pools = static_cast<std::int64_t>(index_.pools().size());
  facts.leases_expired_total = leases_expired_total_;
  facts.last_event_id = last_event_id_;
  return facts;
}

}  // namespace vgls::storage
