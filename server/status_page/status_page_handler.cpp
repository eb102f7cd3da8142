// Gathers the status page's data from the store, then renders it. Only storage failures that
// leave nothing to show (facts, pools) fail the page; a bad lease cursor or a failing usage or
// event read is shown in its own section, so the rest of the page still helps the admin.
#include "server/status_page/status_page_handler.h"

#include <chrono>
#include <string>

#include "protocol/requests.h"
#include "server/app/await_store.h"
#include "server/http/responses.h"
#include "server/status_page/denial_alerts.h"
#include "server/status_page/held_longest.h"
#include "server/status_page/latest_events.h"
#include "server/status_page/status_page_model.h"
#include "server/status_page/status_page_render.h"
#include "server/status_page/usage_chart.h"

namespace vgls::server {
namespace {

// Not a coroutine: the awaitable is awaited at once, while `query` (the caller's local) lives.
boost::asio::awaitable<protocol::result<std::vector<protocol::usage_bucket>>> read_usage(
    storage::store& store, const protocol::usage_query& query) {
  return await_store<std::vector<protocol::usage_bucket>>(
      [&store, &query](auto done) { store.usage(query, std::move(done)); });
}

protocol::usage_query usage_query_for(const usage_window& window) {
  protocol::usage_query query;
  query.from = window.from;
  query.to = protocol::usage_end_through(window.to);
  query.bucket_seconds = window.bucket_seconds;
  return query;
}

}  // namespace

// GCC 12 warns -Wmismatched-new-delete at the end of this coroutine: Asio's awaitable frame pairs
// its operator new(size) with operator delete(void*, size), which is well-formed (GCC PR 109224,
// a false positive after inlining). Silenced for this function only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
boost::asio::awaitable<outgoing_response> handle_status_page(const request_context& context,
                                                             services& deps) {
  auto facts = co_await await_store<storage::store_facts>(
      [&](auto done) { deps.store.facts(std::move(done)); });
  if (!facts)
    co_return error_response(facts.error());
  auto pools = co_await await_store<std::vector<protocol::pool_view>>(
      [&](auto done) { deps.store.list_pools(std::move(done)); });
  if (!pools)
    co_return error_response(pools.error());

  status_page_model model;
  model.version = VGLS_VERSION;
  model.uptime_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::steady_clock::now() - deps.started_at)
                             .count();
  model.storage_backend = facts->backend;
  model.now = facts->time;
  model.clock_high_water = facts->clock_high_water;
  model.clock_rollback = facts->clock_rollback;
  model.leases_active = facts->leases_active;
  model.pools = std::move(*pools);

  model.filter = parse_lease_filter(context.query, model.filter_problems);
  const auto lease_query = to_lease_query(model.filter, lease_page_size);
  auto leases = co_await await_store<protocol::lease_page>(
      [&](auto done) { deps.store.list_leases(lease_query, std::move(done)); });
  if (leases)
    model.leases = std::move(*leases);
  else
    model.leases_error = leases.error().to_string();

  // The oldest leases: the lease table's rows when it shows the unfiltered first page (the same
  // issue order), else one more page of ten from the store (held_longest.h).
  if (!model.filter.any() && !model.filter.after && model.leases) {
    model.held_longest = held_longest(model.leases->leases);
  } else {
    auto oldest = co_await await_store<protocol::lease_page>(
        [&](auto done) { deps.store.list_leases(held_longest_query(), std::move(done)); });
    if (oldest)
      model.held_longest = held_longest(std::move(oldest->leases));
    else
      model.held_longest_error = oldest.error().to_string();
  }

  model.last_day = make_usage_window("Last 24 hours", "usage-24h", model.now,
                                     protocol::seconds_per_day, 3600, facts->installed_at);
  model.last_month = make_usage_window("Last 30 days", "usage-30d", model.now,
                                       30 * protocol::seconds_per_day, 86400, facts->installed_at);
  const auto day_query = usage_query_for(model.last_day);
  auto day = co_await read_usage(deps.store, day_query);
  const auto month_query = usage_query_for(model.last_month);
  auto month = co_await read_usage(deps.store, month_query);
  if (day && month) {
    model.last_day.buckets = std::move(*day);
    model.last_month.buckets = std::move(*month);
  } else {
    model.usage_error = (day ? month.error() : day.error()).to_string();
  }
  // The banner's denials: the last hour to the minute (at most 61 minutes x 4 editions).
  protocol::usage_query hour_query;
  hour_query.from = model.now - denial_window_seconds + 1;
  hour_query.to = protocol::usage_end_through(model.now);
  hour_query.bucket_seconds = 60;
  auto hour = co_await read_usage(deps.store, hour_query);
  if (hour)
    model.last_hour = std::move(*hour);
  model.allow_upgrade = deps.config.store.leases.allow_upgrade;

  auto events = co_await latest_events(deps.store, facts->last_event_id, recent_event_count);
  if (events)
    model.recent_events = std::move(*events);
  else
    model.events_error = events.error().to_string();

  outgoing_response response;
  response.status = 200;
  response.content_type = "text/html; charset=utf-8";
  response.body = render_status_page(model);
  // Always current: the page is a live view, and it carries lease data.
  response.headers.emplace_back("Cache-Control", "no-store");
  co_return response;
}
#pragma GCC diagnostic pop

}  // namespace vgls::server
