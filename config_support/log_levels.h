// The log levels of vglsd and vgls-agent, one list for both configuration files and both
// command lines (`log_level`, `--log-level`). The names are spdlog's, so
// spdlog::level::from_str takes every one of them.
#pragma once

#include <array>
#include <string_view>

namespace vgls::config {

inline constexpr std::array<std::string_view, 7> log_levels = {"trace", "debug",    "info", "warn",
                                                               "error", "critical", "off"};

// For messages and --help: "trace, debug, info, warn, error, critical, off".
inline constexpr std::string_view log_level_list = "trace, debug, info, warn, error, critical, off";

bool is_log_level(std::string_view name);

}  // namespace vgls::config
