// vglsd's log: stderr, which systemd sends to the journal. Under the journal (JOURNAL_STREAM set)
// each line starts with its syslog priority ("<4>"), which journald turns into the entry's
// priority, so `journalctl -u vglsd -p warning` shows what needs an operator; and no time stamp,
// since the journal adds its own. The rule is the agent's (agent/logging.cpp), mirrored here
// because no library that both link carries spdlog (protocol and client have no logging).
//
// spdlog has no "notice" level: log_notice() logs at info through a second logger on the same
// sink, whose lines carry <5> (and "notice" on a terminal). Thread-safe after set_up_server_log().
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <utility>

namespace vgls::server {

// Makes the "vglsd" logger the default and the notice logger; call once, before logging.
// `journal`: whether to write journald's priority prefix (main passes JOURNAL_STREAM's presence).
void set_up_server_log(bool journal);

// Both loggers' level: trace, debug, info, warn or error.
void set_server_log_level(spdlog::level::level_enum level);

// The notice logger; the default logger until set_up_server_log() has run (e.g. in unit tests).
spdlog::logger& notice_logger();

// A normal but significant event, such as an admin change: priority 5.
template <typename... Args>
void log_notice(spdlog::format_string_t<Args...> format, Args&&... args) {
  notice_logger().info(format, std::forward<Args>(args)...);
}

}  // namespace vgls::server
