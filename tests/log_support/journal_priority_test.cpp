#include "log_support/journal_priority.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>
#include <memory>
#include <sstream>
#include <string>

namespace {

// A logger named `name` that writes "%*%v" lines into `out`, its notices being those of `notices`.
std::shared_ptr<spdlog::logger> journal_logger(const std::string& name, std::ostringstream& out,
                                               const std::string& notices) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto logger = std::make_shared<spdlog::logger>(name, sink);
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<vgls::logging::journal_priority_flag>('*', notices).set_pattern("%*%v");
  logger->set_formatter(std::move(formatter));
  logger->set_level(spdlog::level::trace);
  return logger;
}

}  // namespace

TEST_CASE("each level carries the syslog priority journald reads") {
  std::ostringstream out;
  auto logger = journal_logger("vglsd", out, "vglsd-notice");
  logger->trace("t");
  logger->debug("d");
  logger->info("i");
  logger->warn("w");
  logger->error("e");
  logger->critical("c");
  CHECK(out.str() == "<7>t\n<7>d\n<6>i\n<4>w\n<3>e\n<2>c\n");
}

TEST_CASE("info lines of the notice logger are notices, its warnings stay warnings") {
  std::ostringstream out;
  auto notices = journal_logger("vglsd-notice", out, "vglsd-notice");
  notices->info("pool changed");
  notices->warn("pool full");
  CHECK(out.str() == "<5>pool changed\n<4>pool full\n");
}

TEST_CASE("without a notice logger no line is a notice") {
  std::ostringstream out;
  auto logger = journal_logger("", out, "");
  logger->info("an info line of the unnamed logger");
  CHECK(out.str() == "<6>an info line of the unnamed logger\n");
}

TEST_CASE("a flag cloned for a second sink keeps its notice logger") {
  // spdlog gives every sink but the last a clone of the formatter, flags included.
  std::ostringstream first, second;
  auto logger = std::make_shared<spdlog::logger>(
      "vglsd-notice",
      spdlog::sinks_init_list{std::make_shared<spdlog::sinks::ostream_sink_mt>(first),
                              std::make_shared<spdlog::sinks::ostream_sink_mt>(second)});
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<vgls::logging::journal_priority_flag>('*', "vglsd-notice")
      .set_pattern("%*%v");
  logger->set_formatter(std::move(formatter));
  logger->info("pool added");
  CHECK(first.str() == "<5>pool added\n");
  CHECK(second.str() == "<5>pool added\n");
}
