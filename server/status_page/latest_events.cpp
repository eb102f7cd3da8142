#include "server/status_page/latest_events.h"

#include <algorithm>

#include "server/app/await_store.h"

namespace vgls::server {

boost::asio::awaitable<protocol::result<std::vector<protocol::event>>> latest_events(
    storage::store& store, std::int64_t last_event_id, int count) {
  if (last_event_id <= 0 || count <= 0)
    co_return std::vector<protocol::event>{};
  // Ids can have gaps (a rolled-back write), so read up to twice as many ids back and keep the
  // newest `count`.
  protocol::event_query query;
  query.after = std::max<std::int64_t>(0, last_event_id - 2 * std::int64_t{count});
  query.limit = 2 * count;
  auto page = co_await await_store<protocol::event_page>(
      [&](auto done) { store.list_events(query, std::move(done)); });
  if (!page)
    co_return page.error();
  std::vector<protocol::event> events = std::move(page->events);
  std::reverse(events.begin(), events.end());
  if (events.size() > static_cast<std::size_t>(count))
    events.resize(static_cast<std::size_t>(count));
  co_return events;
}

}  // namespace vgls::server
