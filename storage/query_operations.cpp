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

// The smallest string greater than every string that starts with `prefix` (byte order), or
// nullopt when there is none (a prefix of 0xff bytes only).
std::optional<std::string> prefix_upper_bound(std::string prefix) {
  while (!prefix.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(prefix.back());
    if (last != 0xff) {
      ++last;
      return prefix;
    }
    prefix.pop_back();
  }
  return std::nullopt;
}

}  // namespace

protocol::result<protocol::lease_page> sqlite_store::do_list_leases(
    const protocol::lease_query& query) {
  if (query.limit < 1 || query.limit > 1000) {
    return status::invalid("limit", "limit: must be 1..1000");
  }
  const auto now = batch_now_;
  // Active only (SPEC §1 rule 1): the lease's own end and its pool's end are both in the future.
  std::string where =
      " FROM leases l JOIN pools p ON p.id = l.pool_id"
      " WHERE l.expires_at > ?1 AND (p.expires_at IS NULL OR p.expires_at > ?1)";
  std::vector<std::optional<std::string>> texts;  // bound from ?2 on
  auto add_text = [&](std::string_view clause, std::optional<std::string> value) {
    texts.push_back(std::move(value));
    where += " AND ";
    where += clause;
    where += " ?" + std::to_string(texts.size() + 1);
  };
  if (query.pool_id) {
    add_text("l.pool_id =", *query.pool_id);
  }
  if (query.edition) {
    add_text("l.edition =", std::string(protocol::to_string(*query.edition)));
  }
  if (query.client_id) {
    // A client holds at most one active lease; memory knows which row it is (no SQL index).
    lease_ref held = index_.find_client_lease(*query.client_id);
    if (held == nullptr || !lease_index::is_active(held->second, now)) {
      return protocol::lease_page{};
    }
    where += " AND l.seq = " + std::to_string(held->second.seq);
  }
  if (query.hostname_prefix && !query.hostname_prefix->empty()) {
    add_text("l.hostname >=", *query.hostname_prefix);
    if (auto upper = prefix_upper_bound(*query.hostname_prefix)) {
      add_text("l.hostname <", *upper);
    }
  }
  const bool memory_total =
      !query.client_id && !(query.hostname_prefix && !query.hostname_prefix->empty());

  protocol::lease_page page;
  // With no filter but pool and edition, the total comes from memory: exact and free, where a
  // COUNT over a million rows would hold the writer.
  if (memory_total && query.pool_id) {
    const pool_entry* pool = index_.find_pool(*query.pool_id);
    const bool matches =
        pool != nullptr && (!query.edition || pool->pool.edition == *query.edition);
    page.total = matches ? pool->used(now) : 0;
  } else if (memory_total) {
    page.total = index_.active_leases(now, query.edition);
  } else {
    auto count = db_->prepare("SELECT COUNT(*)" + where);
    count.bind(1, now);
    for (std::size_t i = 0; i < texts.size(); ++i) {
      count.bind(static_cast<int>(i + 2), texts[i]);
    }
    if (count.step()) {
      page.total = count.int64(0);
      count.reset();
    }
  }

  // Keyset pagination in issue order (the cursor is the last row's seq): stable under concurrent
  // changes, no OFFSET scans.
  std::string select =
      "SELECT l.id, l.client_id, l.pool_id, l.requested_edition, l.edition, l.issued_at,"
      " l.renewed_at, l.expires_at, p.expires_at, l.hostname, l.vgpu_profile, l.labels,"
      " l.client_clock_skew, l.seq" +
      where;
  if (query.after) {
    std::int64_t after = 0;
    const auto& text = *query.after;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), after);
    if (error != std::errc() || end != text.data() + text.size() || after < 0) {
      return status::invalid("after", "after: not a cursor from a previous page");
    }
    select += " AND l.seq > " + std::to_string(after);
  }
  select += " ORDER BY l.seq LIMIT " + std::to_string(query.limit + 1);
  auto rows = db_->prepare(select);
  rows.bind(1, now);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    rows.bind(static_cast<int>(i + 2), texts[i]);
  }
  std::int64_t last_seq = 0;
  while (rows.step()) {
    if (static_cast<int>(page.leases.size()) == query.limit) {
      page.next = std::to_string(last_seq);
      rows.reset();
      break;
    }
    last_seq = rows.int64(13);
    protocol::lease lease;
    lease.id = rows.text(0);
    lease.client_id = rows.text(1);
    lease.pool_id = rows.text(2);
    lease.requested_edition =
        protocol::parse_edition(rows.text(3)).value_or(protocol::edition::vapp);
    lease.granted_edition = protocol::parse_edition(rows.text(4)).value_or(protocol::edition::vapp);
    lease.issued_at = rows.int64(5);
    lease.renewed_at = rows.int64(6);
    lease.expires_at = rows.int64(7);
    if (auto pool_end = rows.optional_int64(8)) {
      lease.expires_at = std::min(lease.expires_at, *pool_end);
    }
    lease.ttl_seconds = std::max<std::int64_t>(0, lease.expires_at - now);
    lease.renew_after_seconds =
        protocol::renew_after(lease.ttl_seconds, options_.leases.renew_fraction);
    lease.hostname = rows.optional_text(9);
    lease.vgpu_profile = rows.optional_text(10);
    const auto labels = nlohmann::json::parse(rows.text(11), nullptr, false);
    if (labels.is_object()) {
      for (const auto& [key, value] : labels.items()) {
        if (value.is_string()) {
          lease.labels.emplace(key, value.get<std::string>());
        }
      }
    }
    lease.client_clock_skew_seconds = rows.optional_int64(12);
    page.leases.push_back(std::move(lease));
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
