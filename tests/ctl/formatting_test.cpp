// What vglsctl prints for people and scripts: aligned tables, CSV quoting, readable times, safe
// query strings, and the exit code of each kind of failure.
#include <catch2/catch.hpp>
#include <sstream>

#include "ctl/admin_api.h"
#include "ctl/csv.h"
#include "ctl/exit_code.h"
#include "ctl/human_format.h"
#include "ctl/query_string.h"
#include "ctl/text_table.h"
#include "ctl/views.h"

using namespace vgls::ctl;
using vgls::protocol::error_code;
using vgls::protocol::status;

TEST_CASE("tables align columns, right-align numbers, and leave no trailing blanks") {
  text_table table({"POOL", "USED", "STATE"});
  table.align_right(1);
  table.add_row({"trial-vws", "5", "active"});
  table.add_row({"a", "1234", ""});
  std::ostringstream out;
  table.write(out);
  CHECK(out.str() ==
        "POOL       USED  STATE\n"
        "trial-vws     5  active\n"
        "a          1234\n");
}

TEST_CASE("table widths count code points, not bytes") {
  text_table table({"HOST", "X"});
  table.add_row({"h\xc3\xa9te", "1"});  // "hête": 5 bytes, 4 code points
  table.add_row({"abcd", "2"});
  std::ostringstream out;
  table.write(out);
  CHECK(out.str() == "HOST  X\nh\xc3\xa9te  1\nabcd  2\n");
}

TEST_CASE("control characters from clients never reach the terminal") {
  text_table table({"HOST"});
  table.add_row({"evil\x1b[31mred\r\n"});
  std::ostringstream out;
  table.write(out);
  CHECK(out.str() == "HOST\nevil?[31mred??\n");
  CHECK(out.str().find('\x1b') == std::string::npos);
}

TEST_CASE("a streamed table keeps the widths of its first rows and forgets what it wrote") {
  text_table table({"LEASE", "N"});
  table.align_right(1);
  table.add_row({"abc", "1"});
  table.add_row({"abcdef", "22"});
  std::ostringstream out;
  table.write_rows(out);
  CHECK(table.rows() == 0);
  table.add_row({"ab", "3"});
  table.add_row({"abcdefghij", "4444"});  // wider: pushes its line right
  table.write_rows(out);
  table.write_rows(out);  // nothing new: no second header
  CHECK(out.str() ==
        "LEASE    N\n"
        "abc      1\n"
        "abcdef  22\n"
        "ab       3\n"
        "abcdefghij  4444\n");
}

TEST_CASE("a table with no rows prints its header") {
  std::ostringstream out;
  text_table({"POOL", "SEATS"}).write(out);
  CHECK(out.str() == "POOL  SEATS\n");
}

TEST_CASE("CSV quotes only what needs quoting, doubling quotes") {
  CHECK(csv_field("vWS") == "vWS");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  std::ostringstream out;
  write_csv_row(out, {"2026-11-24T00:00:00Z", "vPC", "5", "x,y"});
  CHECK(out.str() == "2026-11-24T00:00:00Z,vPC,5,\"x,y\"\n");
}

TEST_CASE("spans show their two largest units") {
  CHECK(format_span(0) == "0s");
  CHECK(format_span(45) == "45s");
  CHECK(format_span(3600 * 2 + 60 * 5 + 7) == "2h 5m");
  CHECK(format_span(86400 * 3 + 3600 * 4 + 99) == "3d 4h");
  CHECK(format_span(86400) == "1d");
  CHECK(format_span(-90) == "1m 30s");
  CHECK(format_relative(0) == "now");
  CHECK(format_relative(7200) == "in 2h");
  CHECK(format_relative(-300) == "5m ago");
  CHECK(format_time(0) == "1970-01-01 00:00:00Z");
}

TEST_CASE("query strings percent-encode every user value") {
  CHECK(percent_encode("vdi-01_a.b~") == "vdi-01_a.b~");
  CHECK(percent_encode("a b&c=d/#?") == "a%20b%26c%3Dd%2F%23%3F");
  CHECK(percent_encode("\xc3\xa9") == "%C3%A9");
  query_string query;
  CHECK(query.str().empty());
  query.add("hostname", "vdi 1");
  query.add("limit", "5");
  CHECK(query.str() == "?hostname=vdi%201&limit=5");
}

TEST_CASE("exit codes: 4 for unauthorized, 1 for other refusals, 3 when unreachable") {
  CHECK(exit_code_for(status::error(error_code::unauthorized, "no")) == exit_code::unauthorized);
  CHECK(exit_code_for(status::error(error_code::pool_not_found, "no")) == exit_code::refused);
  CHECK(exit_code_for(status::error(error_code::unavailable, "disk")) == exit_code::refused);
  CHECK(exit_code_for(status::error(error_code::rate_limited, "slow")) == exit_code::refused);

  const auto unreachable = vgls::client::call_failure::unreachable(
      {"cannot connect to http://127.0.0.1:9: Connection refused"});
  CHECK(exit_code_for(unreachable) == exit_code::unreachable);
  CHECK(failure_line(unreachable, "http://127.0.0.1:9") ==
        "error: unreachable: cannot connect to http://127.0.0.1:9: Connection refused");
  const auto broken = vgls::client::call_failure::unreachable({"no answer: end of stream"});
  CHECK(failure_line(broken, "http://10.0.0.1:7070") ==
        "error: unreachable: no answer: end of stream (server http://10.0.0.1:7070)");

  const auto refused = vgls::client::call_failure::refused(
      status::error(error_code::pool_in_use, "pool p has 3 leases"));
  CHECK(exit_code_for(refused) == exit_code::refused);
  CHECK(failure_line(refused, "http://x") == "error: pool_in_use: pool p has 3 leases");

  auto standby = vgls::client::call_failure::refused(status::unavailable("this node is a standby"));
  standby.http_status = 503;
  standby.active_node = "http://vgls2:7070";
  CHECK(exit_code_for(standby) == exit_code::refused);
  CHECK(failure_line(standby, "http://vgls1:7070") ==
        "error: unavailable: this node is a standby; run the command with --server "
        "http://vgls2:7070");

  const auto forbidden =
      vgls::client::call_failure::refused(status::error(error_code::forbidden, "viewer"));
  CHECK(exit_code_for(forbidden) == exit_code::unauthorized);
  const auto unreadable =
      vgls::client::call_failure::undecodable(status::internal("unreadable answer: not JSON"));
  CHECK(exit_code_for(unreadable) == exit_code::refused);
  CHECK(failure_line(unreadable, "http://x") ==
        "error: internal_error: unreadable answer: not JSON");
}

TEST_CASE("days left warns from 14 days before expiry") {
  vgls::protocol::pool_view view;
  view.pool.expires_at = 1;
  view.days_left = 15;
  CHECK(days_left_text(view) == "15");
  view.days_left = 14;
  CHECK(days_left_text(view) == "14 (expires soon)");
  view.days_left = 0;
  view.state = vgls::protocol::pool_state::expired;
  CHECK(days_left_text(view) == "0 (expired)");
  view.days_left.reset();
  CHECK(days_left_text(view) == "-");
}

TEST_CASE("event lines name what happened and to whom") {
  vgls::protocol::event e;
  e.id = 42;
  e.at = 0;
  e.type = "lease.denied";
  e.client_id = "vm-1";
  e.edition = vgls::protocol::edition::vpc;
  e.detail = {{"code", "no_seat_available"}};
  CHECK(event_line(e) ==
        "#42  1970-01-01 00:00:00Z  lease.denied  client=vm-1  edition=vPC  "
        "{\"code\":\"no_seat_available\"}");
}
