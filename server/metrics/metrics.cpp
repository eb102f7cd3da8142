#include "server/metrics/metrics.h"

#include <cstdio>

#include "protocol/time.h"

namespace vgls::server {
namespace {

constexpr std::array<std::string_view, 5> result_names = {
    "granted", "existing", "no_seat_available", "license_expired", "no_pool_for_edition"};

std::size_t edition_index(protocol::edition e) {
  return static_cast<std::size_t>(e);
}

void header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

std::string format_double(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", v);
  return buffer;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

metrics::metrics(const std::vector<route_labels>& routes) {
  auto labels = [](std::string_view route, std::string_view method) {
    return "route=\"" + escape_label_value(route) + "\",method=\"" + escape_label_value(method) +
           '"';
  };
  for (const auto& r : routes) {
    first_series_.push_back(series_.size());
    for (const auto& m : r.methods)
      series_.push_back(labels(r.pattern, m));
    series_.push_back(labels(r.pattern, "other"));
  }
  first_series_.push_back(series_.size());
  series_.push_back(labels("unmatched", "other"));
  counters_ = std::make_unique<series_counters[]>(series_.size());
}

std::size_t metrics::request_series(std::size_t route_index, std::size_t method_index) const {
  if (route_index + 1 >= first_series_.size())
    return unmatched_series();
  const auto first = first_series_[route_index];
  const auto other = first_series_[route_index + 1] - 1;
  return method_index < other - first ? first + method_index : other;
}

void metrics::count_checkout(protocol::edition requested, checkout_result result) {
  checkouts_[edition_index(requested)][static_cast<std::size_t>(result)].fetch_add(
      1, std::memory_order_relaxed);
}

void metrics::observe_request(std::size_t series, int http_status, double seconds) {
  if (series >= series_.size())
    series = unmatched_series();
  auto& r = counters_[series];
  std::size_t slot = status_slots - 1;
  for (std::size_t i = 0; i < status_slots; ++i) {
    if (tracked_statuses[i] == http_status) {
      slot = i;
      break;
    }
  }
  r.by_status[slot].fetch_add(1, std::memory_order_relaxed);
  std::size_t bucket = 0;
  while (bucket < bucket_bounds.size() && seconds > bucket_bounds[bucket])
    ++bucket;
  r.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  r.count.fetch_add(1, std::memory_order_relaxed);
  r.sum_microseconds.fetch_add(static_cast<std::uint64_t>(seconds * 1e6),
                               std::memory_order_relaxed);
}

std::string metrics::render(const std::vector<protocol::pool_view>& pools,
                            const storage::store_facts& facts) const {
  std::string out;
  out.reserve(4096);
  auto pool_labels = [](const protocol::pool_view& p) {
    return "{pool=\"" + escape_label_value(p.pool.id) + "\",edition=\"" +
           std::string(protocol::to_string(p.pool.edition)) + "\",kind=\"" +
           std::string(protocol::to_string(p.pool.kind)) + "\"}";
  };
  // A pool grants while the store calls it active (started, not ended), the one rule of SPEC §1.
  auto grants = [](const protocol::pool_view& p) {
    return p.state == protocol::pool_state::active;
  };
  header(out, "vgls_pool_seats", "Seats of the pool.", "gauge");
  for (const auto& p : pools) {
    out += "vgls_pool_seats" + pool_labels(p) + ' ' + std::to_string(p.pool.seats) + '\n';
  }
  header(out, "vgls_pool_used", "Active leases held in the pool.", "gauge");
  for (const auto& p : pools) {
    out += "vgls_pool_used" + pool_labels(p) + ' ' + std::to_string(p.used) + '\n';
  }
  header(out, "vgls_pool_active",
         "1 while the pool grants seats (started and not expired), else 0.", "gauge");
  for (const auto& p : pools) {
    out += "vgls_pool_active" + pool_labels(p) + (grants(p) ? " 1\n" : " 0\n");
  }
  header(out, "vgls_pool_expires_timestamp_seconds",
         "When the pool expires, as a Unix time; absent for perpetual pools.", "gauge");
  for (const auto& p : pools) {
    if (!p.pool.expires_at)
      continue;
    out += "vgls_pool_expires_timestamp_seconds" + pool_labels(p) + ' ' +
           std::to_string(*p.pool.expires_at) + '\n';
  }
  std::array<std::int64_t, protocol::all_editions.size()> edition_seats{};
  std::array<std::int64_t, protocol::all_editions.size()> edition_used{};
  for (const auto& p : pools) {
    if (!grants(p))
      continue;
    edition_seats[edition_index(p.pool.edition)] += p.pool.seats;
    edition_used[edition_index(p.pool.edition)] += p.used;
  }
  auto edition_series = [&](std::string_view name, const auto& values) {
    for (auto e : protocol::all_editions) {
      out += name;
      out += "{edition=\"";
      out += protocol::to_string(e);
      out += "\"} ";
      out += std::to_string(values[edition_index(e)]);
      out += '\n';
    }
  };
  header(out, "vgls_edition_seats", "Seats of the edition summed over its active pools.", "gauge");
  edition_series("vgls_edition_seats", edition_seats);
  header(out, "vgls_edition_used", "Leases held of the edition summed over its active pools.",
         "gauge");
  edition_series("vgls_edition_used", edition_used);
  header(out, "vgls_checkouts_total", "Checkouts by requested edition and result.", "counter");
  for (auto e : protocol::all_editions) {
    for (std::size_t r = 0; r < result_count; ++r) {
      out += "vgls_checkouts_total{edition=\"";
      out += protocol::to_string(e);
      out += "\",result=\"";
      out += result_names[r];
      out += "\"} ";
      out += std::to_string(checkouts_[edition_index(e)][r].load(std::memory_order_relaxed));
      out += '\n';
    }
  }
  header(out, "vgls_leases_expired_total", "Leases that expired since the server started.",
         "counter");
  out += "vgls_leases_expired_total " + std::to_string(facts.leases_expired_total) + '\n';
  header(out, "vgls_clock_rollback",
         "1 when the wall clock is more than 5 minutes behind the highest time seen.", "gauge");
  out += std::string("vgls_clock_rollback ") + (facts.clock_rollback ? "1" : "0") + '\n';

  header(out, "vgls_http_requests_total", "HTTP requests by route pattern, method and status code.",
         "counter");
  for (std::size_t i = 0; i < series_.size(); ++i) {
    const auto& labels = series_[i];
    for (std::size_t s = 0; s < status_slots; ++s) {
      const auto n = counters_[i].by_status[s].load(std::memory_order_relaxed);
      if (n == 0)
        continue;
      const std::string code =
          tracked_statuses[s] == 0 ? std::string("other") : std::to_string(tracked_statuses[s]);
      out += "vgls_http_requests_total{" + labels + ",code=\"" + code + "\"} " + std::to_string(n) +
             '\n';
    }
  }
  header(out, "vgls_http_request_duration_seconds",
         "Time from a request's head being read to its answer being ready.", "histogram");
  for (std::size_t i = 0; i < series_.size(); ++i) {
    const auto& r = counters_[i];
    const auto count = r.count.load(std::memory_order_relaxed);
    if (count == 0)
      continue;
    const auto& labels = series_[i];
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= bucket_bounds.size(); ++b) {
      cumulative += r.buckets[b].load(std::memory_order_relaxed);
      const std::string le = b < bucket_bounds.size() ? format_double(bucket_bounds[b]) : "+Inf";
      out += "vgls_http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"} " +
             std::to_string(cumulative) + '\n';
    }
    out += "vgls_http_request_duration_seconds_sum{" + labels + "} " +
           format_double(static_cast<double>(r.sum_microseconds.load()) / 1e6) + '\n';
    out +=
        "vgls_http_request_duration_seconds_count{" + labels + "} " + std::to_string(count) + '\n';
  }
  return out;
}

}  // namespace vgls::server
