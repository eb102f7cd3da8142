// vglsctl usage [--since 30d] [--bucket 1d] [--edition E] [--csv] [--summary].
#include "ctl/commands.h"
#include "ctl/csv.h"
#include "ctl/human_format.h"
#include "ctl/usage_summary.h"
#include "ctl/views.h"
#include "protocol/answer_codec.h"
#include "protocol/requests.h"

namespace vgls::ctl {
namespace {

// The period the buckets cover: from the first bucket's start (buckets are aligned, so it may lie
// before the asked `from`) to the asked, exclusive, `to`.
void print_summary(const usage_command& command, const usage_request& request,
                   const std::vector<protocol::usage_bucket>& buckets, const output& o) {
  const protocol::unix_seconds from = buckets.empty() ? *request.from : buckets.front().start;
  const protocol::unix_seconds to = *request.to;
  const auto summary = summarize_usage(buckets);
  if (command.csv) {
    write_csv_row(o.out,
                  {"from", "to", "edition", "peak_used", "peak_at", "seats", "granted", "denied"});
    for (const auto& e : summary) {
      write_csv_row(o.out,
                    {protocol::format_rfc3339(from), protocol::format_rfc3339(to),
                     std::string(protocol::to_string(e.edition)), std::to_string(e.peak_used),
                     e.peak_at ? protocol::format_rfc3339(*e.peak_at) : std::string(),
                     std::to_string(e.seats), std::to_string(e.granted), std::to_string(e.denied)});
    }
  } else if (o.json) {
    nlohmann::json editions = nlohmann::json::array();
    for (const auto& e : summary) {
      editions.push_back(
          {{"edition", std::string(protocol::to_string(e.edition))},
           {"peak_used", e.peak_used},
           {"peak_at",
            e.peak_at ? nlohmann::json(protocol::format_rfc3339(*e.peak_at)) : nlohmann::json()},
           {"seats", e.seats},
           {"granted", e.granted},
           {"denied", e.denied}});
    }
    print_json(o.out, {{"from", protocol::format_rfc3339(from)},
                       {"to", protocol::format_rfc3339(to)},
                       {"bucket", command.bucket},
                       {"editions", editions}});
  } else {
    o.out << "usage from " << format_time(from) << " to " << format_time(to) << " ("
          << command.bucket << " buckets)\n";
    text_table table({"EDITION", "PEAK", "PEAK AT", "SEATS", "GRANTED", "DENIED"});
    table.align_right(1);  // PEAK
    for (std::size_t column = 3; column < 6; ++column)
      table.align_right(column);
    for (const auto& e : summary) {
      table.add_row({std::string(protocol::to_string(e.edition)), std::to_string(e.peak_used),
                     e.peak_at ? format_time(*e.peak_at) : "-", std::to_string(e.seats),
                     std::to_string(e.granted), std::to_string(e.denied)});
    }
    table.write(o.out);
  }
}

}  // namespace

exit_code run_usage(const usage_command& command, admin_api& api, const output& o) {
  // The span is measured back from the server's clock, not this machine's, through its current
  // second.
  auto info = api.server_info();
  if (!info.is_ok())
    return report_failure(info.error(), api, o);
  usage_request request;
  request.to = protocol::usage_end_through(info->time);
  request.from = info->time - command.since_seconds;
  request.bucket = command.bucket;
  request.edition = command.edition;
  auto buckets = api.usage(request);
  if (!buckets.is_ok())
    return report_failure(buckets.error(), api, o);

  if (command.summary) {
    print_summary(command, request, *buckets, o);
  } else if (command.csv) {
    write_csv_row(o.out, {"start", "edition", "peak_used", "seats", "granted", "denied"});
    for (const auto& b : *buckets) {
      write_csv_row(
          o.out, {protocol::format_rfc3339(b.start), std::string(protocol::to_string(b.edition)),
                  std::to_string(b.peak_used), std::to_string(b.seats), std::to_string(b.granted),
                  std::to_string(b.denied)});
    }
  } else if (o.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& b : *buckets)
      list.push_back(protocol::to_json(b));
    print_json(o.out, {{"buckets", list}});
  } else {
    text_table table({"START", "EDITION", "PEAK", "SEATS", "GRANTED", "DENIED"});
    for (std::size_t column = 2; column < 6; ++column)
      table.align_right(column);
    for (const auto& b : *buckets) {
      table.add_row({format_time(b.start), std::string(protocol::to_string(b.edition)),
                     std::to_string(b.peak_used), std::to_string(b.seats),
                     std::to_string(b.granted), std::to_string(b.denied)});
    }
    table.write(o.out);
  }
  return exit_code::done;
}

}  // namespace vgls::ctl
