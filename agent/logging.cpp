#include "agent/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>

namespace vgls::agent {

namespace {

// "%*": the syslog priority prefix that journald reads (sd-daemon.h's SD_ERR and friends).
class syslog_priority_flag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&,
              spdlog::memory_buf_t& out) override {
    const char* prefix = "<6>";
    switch (message.level) {
      case spdlog::level::trace:
      case spdlog::level::debug:
        prefix = "<7>";
        break;
      case spdlog::level::info:
        prefix = "<6>";
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

  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<syslog_priority_flag>();
  }
};

}  // namespace

void set_up_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("vgls-agent");
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  if (std::getenv("JOURNAL_STREAM") != nullptr) {
    formatter->add_flag<syslog_priority_flag>('*').set_pattern("%*[%l] %v");
  } else {
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%e [%l] %v");
  }
  logger->set_formatter(std::move(formatter));
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

}  // namespace vgls::agent
