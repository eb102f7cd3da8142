#include "agent/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "log_support/journal_priority.h"

namespace vgls::agent {

void set_up_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("vgls-agent");
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  if (logging::stderr_is_journal()) {
    formatter->add_flag<logging::journal_priority_flag>('*').set_pattern("%*[%l] %v");
  } else {
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%e [%l] %v");
  }
  logger->set_formatter(std::move(formatter));
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

}  // namespace vgls::agent
