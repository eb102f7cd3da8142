// The syslog priority prefix of a log line ("<4>" for a warning), which journald reads from a
// service's stderr (sd-daemon(3)), so that `journalctl -p warning` finds what an operator must act
// on. Used by vglsd and vgls-agent alike.
#pragma once

#include <spdlog/pattern_formatter.h>

#include <memory>
#include <string>

namespace vgls::logging {

// True when the process's stderr is connected to journald (systemd sets JOURNAL_STREAM).
bool stderr_is_journal();

// The pattern flag "%*": the line's priority in angle brackets. Levels map to syslog's (trace and
// debug 7, info 6, warn 4, err 3, critical 2); info lines of the logger named `notice_logger` (when
// given) are notices, 5. Stateless apart from that name: thread-safe as spdlog formatters are.
class journal_priority_flag : public spdlog::custom_flag_formatter {
 public:
  explicit journal_priority_flag(std::string notice_logger = {});

  void format(const spdlog::details::log_msg& message, const std::tm& time,
              spdlog::memory_buf_t& out) override;
  std::unique_ptr<custom_flag_formatter> clone() const override;

 private:
  std::string notice_logger_;
};

}  // namespace vgls::logging
