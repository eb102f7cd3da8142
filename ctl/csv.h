// CSV for spreadsheets and scripts (RFC 4180 quoting, "\n" line ends for Unix tools): a field is
// quoted when it holds a comma, a quote, or a line break, and quotes inside are doubled.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace vgls::ctl {

std::string csv_field(std::string_view text);

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);

}  // namespace vgls::ctl
