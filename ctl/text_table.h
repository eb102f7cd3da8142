// Aligned plain-text tables for people: a header row, then one row per item, columns separated by
// two spaces, numbers right-aligned where asked. Widths count UTF-8 code points, so names with
// accents still line up. Cells never carry control characters to the terminal: a hostname or label
// sent by a client could otherwise move the cursor or change colours in an admin's terminal.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace vgls::ctl {

class text_table {
 public:
  explicit text_table(std::vector<std::string> headers);

  // Right-aligns a column (for counts and seats).
  void align_right(std::size_t column);
  // A row with fewer cells than headers is padded with empty cells; extra cells are dropped.
  void add_row(std::vector<std::string> cells);

  std::size_t rows() const { return rows_.size(); }
  // No trailing spaces on any line; a table with no rows still prints its header.
  void write(std::ostream& out) const;

  // For tables too long to hold at once: writes the rows added since the last call and forgets
  // them. The first call also writes the header and fixes the column widths by what it has; a
  // later, wider cell pushes the rest of its line right instead of re-aligning printed lines.
  void write_rows(std::ostream& out);

 private:
  std::vector<std::size_t> widths() const;
  void write_line(std::ostream& out, const std::vector<std::string>& cells,
                  const std::vector<std::size_t>& widths) const;

  std::vector<std::string> headers_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
  bool header_written_ = false;  // by write_rows, which then keeps `streamed_widths_`
  std::vector<std::size_t> streamed_widths_;
};

// The text with every control character (C0, DEL) replaced by '?'.
std::string printable(std::string_view text);

// Display width: the number of UTF-8 code points.
std::size_t display_width(std::string_view text);

}  // namespace vgls::ctl
