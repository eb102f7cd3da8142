#include "protocol/time.h"

#include <chrono>
#include <cstdio>
#include <limits>

namespace vgls::protocol {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil_date {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

civil_date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

bool is_leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : lengths[m - 1];
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads exactly `n` digits at `pos`; false when any is not a digit.
bool read_digits(std::string_view text, std::size_t pos, std::size_t n, unsigned& out) {
  if (pos + n > text.size()) {
    return false;
  }
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(text[i])) {
      return false;
    }
    out = out * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return true;
}

bool expect(std::string_view text, std::size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

}  // namespace

std::string format_rfc3339(unix_seconds t) {
  std::int64_t days = t / seconds_per_day;
  std::int64_t rest = t % seconds_per_day;
  if (rest < 0) {
    rest += seconds_per_day;
    --days;
  }
  const civil_date date = civil_from_days(days);
  if (date.year >= 0 && date.year <= 9999) {
    // The common case, written digit by digit: this is on every lease answer.
    const auto hour = static_cast<unsigned>(rest / 3600);
    const auto minute = static_cast<unsigned>(rest % 3600 / 60);
    const auto second = static_cast<unsigned>(rest % 60);
    const auto year = static_cast<unsigned>(date.year);
    std::string out(20, '0');
    auto two = [&out](std::size_t at, unsigned v) {
      out[at] = static_cast<char>('0' + v / 10);
      out[at + 1] = static_cast<char>('0' + v % 10);
    };
    two(0, year / 100);
    two(2, year % 100);
    out[4] = '-';
    two(5, date.month);
    out[7] = '-';
    two(8, date.day);
    out[10] = 'T';
    two(11, hour);
    out[13] = ':';
    two(14, minute);
    out[16] = ':';
    two(17, second);
    out[19] = 'Z';
    return out;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<int>(rest / 3600), static_cast<int>(rest % 3600 / 60),
                static_cast<int>(rest % 60));
  return buf;
}

std::optional<unix_seconds> parse_rfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, 0, 4, year) || !expect(text, 4, '-') || !read_digits(text, 5, 2, month) ||
      !expect(text, 7, '-') || !read_digits(text, 8, 2, day)) {
    return std::nullopt;
  }
  if (text.size() < 11 || (text[10] != 'T' && text[10] != 't')) {
    return std::nullopt;
  }
  if (!read_digits(text, 11, 2, hour) || !expect(text, 13, ':') ||
      !read_digits(text, 14, 2, minute) || !expect(text, 16, ':') ||
      !read_digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  // Leap seconds (60) are not accepted: vgls clocks never show them.
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  if (expect(text, pos, '.')) {
    ++pos;
    const std::size_t first = pos;
    while (pos < text.size() && is_digit(text[pos])) {
      ++pos;
    }
    if (pos == first) {
      return std::nullopt;  // "." with no digits
    }
  }
  std::int64_t offset = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    unsigned off_h = 0, off_m = 0;
    if (!read_digits(text, pos + 1, 2, off_h) || !expect(text, pos + 3, ':') ||
        !read_digits(text, pos + 4, 2, off_m) || off_h > 23 || off_m > 59) {
      return std::nullopt;
    }
    offset = sign * static_cast<std::int64_t>(off_h * 3600 + off_m * 60);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil(year, month, day);
  return days * seconds_per_day + hour * 3600 + minute * 60 + second - offset;
}

std::optional<std::int64_t> parse_duration(std::string_view text) {
  if (text.size() < 2) {
    return std::nullopt;
  }
  std::int64_t unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = seconds_per_day;
      break;
    default:
      return std::nullopt;
  }
  const std::string_view digits = text.substr(0, text.size() - 1);
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  std::int64_t value = 0;
  for (char c : digits) {
    if (!is_digit(c)) {
      return std::nullopt;
    }
    const int digit = c - '0';
    if (value > (max - digit) / 10) {
      return std::nullopt;
    }
    value = value * 10 + digit;
  }
  if (value <= 0 || value > max / unit) {
    return std::nullopt;
  }
  return value * unit;
}

std::string format_duration(std::int64_t seconds) {
  if (seconds > 0) {
    if (seconds % seconds_per_day == 0) {
      return std::to_string(seconds / seconds_per_day) + "d";
    }
    if (seconds % 3600 == 0) {
      return std::to_string(seconds / 3600) + "h";
    }
    if (seconds % 60 == 0) {
      return std::to_string(seconds / 60) + "m";
    }
  }
  return std::to_string(seconds) + "s";
}

unix_seconds system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace vgls::protocol
