#include "server/signing/start_keys.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <future>
#include <sstream>

namespace vgls::server {

protocol::result<std::optional<signing_key>> load_signing_key_file(const server_config& config) {
  if (!config.signing_key_file)
    return std::optional<signing_key>();
  const auto& path = *config.signing_key_file;
  std::ifstream in(path);
  if (!in) {
    return protocol::status::invalid(
        "signing_key_file",
        "cannot read " + path.string() + " (server.signing_key_file): " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto key = signing_key::from_pem(text.str(), path.string() + " (server.signing_key_file)");
  if (!key)
    return key.error();
  return std::optional<signing_key>(std::move(*key));
}

protocol::status ensure_signing_key(storage::store& store) {
  if (store.role() == storage::node_role::standby)
    return {};
  const auto credentials = store.current_credentials();
  if (std::any_of(credentials->keys.begin(), credentials->keys.end(),
                  [](const storage::signing_key_record& k) { return !k.retired_at; })) {
    return {};
  }
  auto key = signing_key::generate();
  if (!key)
    return key.error();
  storage::signing_key_record record;
  record.kid = key->kid();
  record.private_key_pem = key->private_pem();
  std::promise<protocol::result<storage::done>> stored;
  auto outcome = stored.get_future();
  store.add_signing_key(std::move(record), "vglsd",
                        [&stored](protocol::result<storage::done> r) { stored.set_value(r); });
  auto result = outcome.get();
  if (!result)
    return result.error();
  spdlog::info("made the installation's signing key {} (kept in the store)", key->kid());
  return {};
}

}  // namespace vgls::server
