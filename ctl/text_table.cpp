#include "ctl/text_table.h"

#include <algorithm>

namespace vgls::ctl {

std::string printable(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f)
      c = '?';
  }
  return out;
}

std::size_t display_width(std::string_view text) {
  // Continuation bytes (10xxxxxx) do not start a code point.
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

text_table::text_table(std::vector<std::string> headers)
    : headers_(std::move(headers)), right_(headers_.size(), false) {}

void text_table::align_right(std::size_t column) {
  if (column < right_.size())
    right_[column] = true;
}

void text_table::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (auto& cell : cells)
    cell = printable(cell);
  rows_.push_back(std::move(cells));
}

std::vector<std::size_t> text_table::widths() const {
  std::vector<std::size_t> widths(headers_.size());
  for (std::size_t i = 0; i < headers_.size(); ++i)
    widths[i] = display_width(headers_[i]);
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));
  }
  return widths;
}

void text_table::write_line(std::ostream& out, const std::vector<std::string>& cells,
                            const std::vector<std::size_t>& widths) const {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::size_t width = display_width(cells[i]);
    const std::size_t pad = widths[i] > width ? widths[i] - width : 0;
    if (i > 0)
      line += "  ";
    if (right_[i])
      line.append(pad, ' ');
    line += cells[i];
    if (!right_[i])
      line.append(pad, ' ');
  }
  // Padding of the last column would only be trailing blanks.
  line.erase(line.find_last_not_of(' ') + 1);
  out << line << '\n';
}

void text_table::write(std::ostream& out) const {
  const auto column_widths = widths();
  write_line(out, headers_, column_widths);
  for (const auto& row : rows_)
    write_line(out, row, column_widths);
}

void text_table::write_rows(std::ostream& out) {
  if (!header_written_) {
    streamed_widths_ = widths();
    write_line(out, headers_, streamed_widths_);
    header_written_ = true;
  }
  for (const auto& row : rows_)
    write_line(out, row, streamed_widths_);
  rows_.clear();
}

}  // namespace vgls::ctl
