// vglsctl events [--since D] [--type T] [--follow].
#include <chrono>
#include <thread>

#include "ctl/commands.h"
#include "ctl/event_search.h"
#include "ctl/views.h"
#include "protocol/answer_codec.h"

namespace vgls::ctl {
namespace {

// How often --follow asks for new events: quick enough to watch checkouts happen, light enough
// for the server.
constexpr std::chrono::seconds follow_interval{2};

void print_event(const protocol::event& e, const output& o) {
  if (o.json)
    print_json_line(o.out, protocol::to_json(e));
  else
    o.out << event_line(e) << '\n';
}

// Prints every event after `cursor` (up to `budget` of them when set), moving `cursor` along.
std::optional<call_failure> print_after(admin_api& api, const events_command& command,
                                        std::int64_t& cursor, std::optional<int> budget,
                                        const output& o) {
  for (;;) {
    protocol::event_query query;
    query.after = cursor;
    query.limit = budget ? std::min(*budget, 1000) : 1000;
    query.type = command.type;
    auto page = api.list_events(query);
    if (!page.is_ok())
      return page.error();
    for (const auto& e : page->events) {
      print_event(e, o);
      cursor = e.id;
    }
    o.out.flush();
    if (budget) {
      *budget -= static_cast<int>(page->events.size());
      if (*budget <= 0)
        return std::nullopt;
    }
    if (!page->next || page->events.empty())
      return std::nullopt;
  }
}

}  // namespace

exit_code run_events(const events_command& command, admin_api& api, const output& o) {
  std::int64_t cursor = 0;
  std::optional<int> budget;
  if (command.since_seconds) {
    // "Since" is by the server's clock, like every time in vgls.
    auto info = api.server_info();
    if (!info.is_ok())
      return report_failure(info.error(), api, o);
    auto found = cursor_since(api, info->time - *command.since_seconds, command.type);
    if (!found.is_ok())
      return report_failure(found.error(), api, o);
    cursor = *found;
  } else {
    auto latest = cursor_for_latest(api, events_command::latest_count, command.type);
    if (!latest.is_ok())
      return report_failure(latest.error(), api, o);
    cursor = *latest;
    // Events written meanwhile must not stretch "the latest 20".
    budget = events_command::latest_count;
  }

  if (auto failed = print_after(api, command, cursor, budget, o))
    return report_failure(*failed, api, o);
  while (command.follow) {
    std::this_thread::sleep_for(follow_interval);
    if (auto failed = print_after(api, command, cursor, std::nullopt, o))
      return report_failure(*failed, api, o);
  }
  return exit_code::done;
}

}  // namespace vgls::ctl
