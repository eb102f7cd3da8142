#include "config_support/log_levels.h"

#include <algorithm>

namespace vgls::config {

bool is_log_level(std::string_view name) {
  return std::find(log_levels.begin(), log_levels.end(), name) != log_levels.end();
}

}  // namespace vgls::config
