#include "ctl/event_search.h"

#include <optional>

namespace vgls::ctl {
namespace {

// The first event with an id above `after`, or nullopt when there is none.
call_result<std::optional<protocol::event>> first_after(admin_api& api, std::int64_t after,
                                                        const std::optional<std::string>& type) {
  protocol::event_query query;
  query.after = after;
  query.limit = 1;
  query.type = type;
  auto page = api.list_events(query);
  if (!page.is_ok())
    return page.error();
  if (page->events.empty())
    return std::optional<protocol::event>();
  return std::optional<protocol::event>(page->events.front());
}

// The smallest cursor in (low, high] at which `holds` is true, given that it is false at `low`,
// true at `high`, and only turns from false to true as the cursor grows. Each probe is a request;
// the first failing one ends the search with its error.
template <class Predicate>
call_result<std::int64_t> first_cursor_where(std::int64_t low, std::int64_t high,
                                             Predicate&& holds) {
  while (high - low > 1) {
    const std::int64_t middle = low + (high - low) / 2;
    auto at_middle = holds(middle);
    if (!at_middle.is_ok())
      return at_middle.error();
    if (*at_middle)
      high = middle;
    else
      low = middle;
  }
  return high;
}

}  // namespace

call_result<std::int64_t> last_event_id(admin_api& api, const std::optional<std::string>& type) {
  auto first = first_after(api, 0, type);
  if (!first.is_ok())
    return first.error();
  if (!first->has_value())
    return std::int64_t{0};

  // Invariant: an event with id `low` exists; none has an id above `high`.
  std::int64_t low = (*first)->id;
  std::int64_t step = 1;
  std::int64_t high = 0;
  for (;;) {
    auto probe = first_after(api, low + step, type);
    if (!probe.is_ok())
      return probe.error();
    if (!probe->has_value()) {
      high = low + step;
      break;
    }
    low = (*probe)->id;
    step *= 2;
  }
  while (low < high) {
    const std::int64_t middle = low + (high - low) / 2;
    auto probe = first_after(api, middle, type);
    if (!probe.is_ok())
      return probe.error();
    if (probe->has_value())
      low = (*probe)->id;
    else
      high = middle;
  }
  return low;
}

call_result<std::int64_t> cursor_for_latest(admin_api& api, int count,
                                            const std::optional<std::string>& type) {
  // Reads "at least `count` events follow `cursor`", which only turns from true to false as
  // `cursor` grows, one event at a time.
  auto enough_after = [&](std::int64_t cursor) -> call_result<bool> {
    protocol::event_query query;
    query.after = cursor;
    query.limit = count;
    query.type = type;
    auto page = api.list_events(query);
    if (!page.is_ok())
      return page.error();
    return static_cast<int>(page->events.size()) >= count;
  };

  auto from_start = enough_after(0);
  if (!from_start.is_ok())
    return from_start.error();
  if (!*from_start)
    return std::int64_t{0};
  auto last = last_event_id(api, type);
  if (!last.is_ok())
    return last.error();

  // enough_after(0) is true and enough_after(last) is false. The largest cursor still followed by
  // `count` events is followed by exactly `count`, since each id step drops at most one.
  auto too_few_after = [&](std::int64_t cursor) -> call_result<bool> {
    auto enough = enough_after(cursor);
    if (!enough.is_ok())
      return enough.error();
    return !*enough;
  };
  auto first_too_few = first_cursor_where(0, *last, too_few_after);
  if (!first_too_few.is_ok())
    return first_too_few.error();
  return *first_too_few - 1;
}

call_result<std::int64_t> cursor_since(admin_api& api, protocol::unix_seconds since,
                                       const std::optional<std::string>& type) {
  // Reads "the first event after `cursor` is recent enough", which only turns from false to true
  // as `cursor` grows.
  auto starts_recent = [&](std::int64_t cursor) -> call_result<bool> {
    auto probe = first_after(api, cursor, type);
    if (!probe.is_ok())
      return probe.error();
    return !probe->has_value() || (*probe)->at >= since;
  };

  auto at_zero = starts_recent(0);
  if (!at_zero.is_ok())
    return at_zero.error();
  if (*at_zero)
    return std::int64_t{0};
  auto last = last_event_id(api, type);
  if (!last.is_ok())
    return last.error();

  // starts_recent(0) is false; starts_recent(last) is true (nothing follows the last event).
  return first_cursor_where(0, *last, starts_recent);
}

}  // namespace vgls::ctl
