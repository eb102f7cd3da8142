#include "ctl/views.h"

#include "ctl/human_format.h"

namespace vgls::ctl {

std::string days_left_text(const protocol::pool_view& pool) {
  if (!pool.days_left)
    return "-";
  std::string text = std::to_string(*pool.days_left);
  if (pool.state == protocol::pool_state::expired)
    return text + " (expired)";
  if (*pool.days_left <= expiry_warning_days)
    return text + " (expires soon)";
  return text;
}

text_table pool_table(const std::vector<protocol::pool_view>& pools) {
  text_table table({"POOL", "EDITION", "KIND", "USED", "SEATS", "STATE", "DAYS LEFT", "EXPIRES"});
  table.align_right(3);
  table.align_right(4);
  for (const auto& view : pools) {
    table.add_row({view.pool.id, std::string(protocol::to_string(view.pool.edition)),
                   std::string(protocol::to_string(view.pool.kind)), std::to_string(view.used),
                   std::to_string(view.pool.seats), std::string(protocol::to_string(view.state)),
                   days_left_text(view),
                   view.pool.expires_at ? format_time(*view.pool.expires_at) : "never"});
  }
  return table;
}

std::string event_line(const protocol::event& e) {
  std::string line = "#" + std::to_string(e.id) + "  " + format_time(e.at) + "  " + e.type;
  if (e.pool_id)
    line += "  pool=" + *e.pool_id;
  if (e.lease_id)
    line += "  lease=" + *e.lease_id;
  if (e.client_id)
    line += "  client=" + *e.client_id;
  if (e.edition)
    line += "  edition=" + std::string(protocol::to_string(*e.edition));
  if (e.detail.is_object() && !e.detail.empty())
    line += "  " + e.detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return printable(line);
}

void print_json(std::ostream& out, const nlohmann::json& value) {
  out << value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void print_json_line(std::ostream& out, const nlohmann::json& value) {
  out << value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace vgls::ctl
