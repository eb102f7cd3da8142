// The TOML config loaders: vglsd's (with --check-config's rules) and vgls-agent's.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agent/agent_config.h"
#include "server/config/server_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto config = vgls::server::parse_config(text, "fuzz.toml")) {
    (void)vgls::server::validate_config(*config);
  }
  (void)vgls::agent::parse_agent_config(text, "fuzz.toml");
  return 0;
}
