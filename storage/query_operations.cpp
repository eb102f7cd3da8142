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
  // Active only (SPEC §1 rule 1), and every filter but pool and edition, which choose the pools.
  auto matches = [&](const lease_record& record) {
    return lease_index::is_active(record, now) &&
           (prefix.empty() || (record.hostname && record.hostname->starts_with(prefix)));
  };

  // The pools that can hold matches, each with its leases in issue order from the cursor on.
  struct pool_cursor {
    std::map<std::int64_t, lease_ref>::const_iterator next, end;
  };
  std::vector<pool_cursor> cursors;
  std::int64_t total = 0;
  lease_ref held = nullptr;
  if (query.client_id) {
    // A client holds at most one active lease; memory knows which.
    held = index_.find_client_lease(*query.client_id);
    if (held == nullptr || !matches(held->second)) {
      return protocol::lease_page{};
    }
  }
  for (const auto& [id, pool] : index_.pools()) {
    if ((query.pool_id && id != *query.pool_id) ||
        (query.edition && pool.pool.edition != *query.edition) || pool.expired(now)) {
      continue;
    }
    if (held != nullptr) {
      if (held->second.pool == &pool) {
        total = 1;
        if (held->second.seq > after) {
          const auto at = pool.leases_by_seq.find(held->second.seq);
          cursors.push_back({at, std::next(at)});
        }
      }
      continue;
    }
    if (prefix.empty()) {
      total += pool.used(now);  // exact and free, where counting would visit every lease
    } else {
      total += std::count_if(pool.leases_by_seq.begin(), pool.leases_by_seq.end(),
                             [&](const auto& entry) { return matches(entry.second->second); });
    }
    cursors.push_back({pool.leases_by_seq.upper_bound(after), pool.leases_by_seq.end()});
  }

  protocol::lease_page page;
  page.total = total;
  // Keyset pagination in issue order, merging the pools' orders; the cursor is the last seq.
  std::int64_t last_seq = 0;
  for (;;) {
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
    if (!matches(lease->second)) {
      continue;
    }
    if (static_cast<int>(page.leases.size()) == query.limit) {
      page.next = std::to_string(last_seq);
      break;
    }
    last_seq = lease->second.seq;
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
