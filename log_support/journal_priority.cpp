#include "log_support/journal_priority.h"

#include <cstdlib>

namespace vgls::logging {

bool stderr_is_journal() {
  return std::getenv("JOURNAL_STREAM") != nullptr;
}

journal_priority_flag::journal_priority_flag(std::string notice_logger)
    : notice_logger_(std::move(notice_logger)) {}

void journal_priority_flag::format(const spdlog::details::log_msg& message, const std::tm&,
                                   spdlog::memory_buf_t& out) {
  const char* prefix = "<6>";
  switch (message.level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      prefix = "<7>";
      break;
    case spdlog::level::info:
      prefix = !notice_logger_.empty() && message.logger_name == notice_logger_ ? "<5>" : "<6>";
      break;
    case spdlog::level::warn:
      prefix = "<4>";
      break;
    case spdlog::level::err:
      prefix = "<3>";
      break;
    case spdlog::level::critical:
      prefix = "<2>";
      break;
    default:
      break;
  }
  out.append(prefix, prefix + 3);
}

std::unique_ptr<spdlog::custom_flag_formatter> journal_priority_flag::clone() const {
  return std::make_unique<journal_priority_flag>(notice_logger_);
}

}  // namespace vgls::logging
