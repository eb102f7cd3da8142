#include "server/app/server_log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "log_support/journal_priority.h"

namespace vgls::server {
namespace {

constexpr const char* notice_logger_name = "vglsd-notice";

std::shared_ptr<spdlog::logger> notice_logger_instance;

bool is_notice(const spdlog::details::log_msg& message) {
  return message.level == spdlog::level::info && message.logger_name == notice_logger_name;
}

// "%L": the level's name, "notice" for the notice logger's lines.
class level_name_flag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&,
              spdlog::memory_buf_t& out) override {
    const auto name = is_notice(message) ? spdlog::string_view_t("notice")
                                         : spdlog::level::to_string_view(message.level);
    out.append(name.data(), name.data() + name.size());
  }

  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<level_name_flag>();
  }
};

}  // namespace

void set_up_server_log(bool journal) {
  auto logger = spdlog::stderr_color_mt("vglsd");
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<level_name_flag>('L');
  if (journal) {
    formatter->add_flag<logging::journal_priority_flag>('*', notice_logger_name)
        .set_pattern("%*[%L] %v");
  } else {
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%L%$ %v");
  }
  logger->set_formatter(std::move(formatter));
  notice_logger_instance = std::make_shared<spdlog::logger>(
      notice_logger_name, logger->sinks().begin(), logger->sinks().end());
  spdlog::set_default_logger(logger);
}

void set_server_log_level(spdlog::level::level_enum level) {
  spdlog::set_level(level);
  if (notice_logger_instance)
    notice_logger_instance->set_level(level);
}

spdlog::logger& notice_logger() {
  return notice_logger_instance ? *notice_logger_instance : *spdlog::default_logger_raw();
}

}  // namespace vgls::server
