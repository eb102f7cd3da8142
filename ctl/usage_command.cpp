// vglsctl usage [--since 30d] [--bucket 1d] [--edition E] [--csv].
#include "ctl/commands.h"
#include "ctl/csv.h"
#include "ctl/human_format.h"
#include "ctl/views.h"
#include "protocol/answer_codec.h"
#include "protocol/requests.h"

namespace vgls::ctl {

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

  if (command.csv) {
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
