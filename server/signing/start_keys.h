// The signing key at start (SPEC §8): read from server.signing_key_file, or made on the
// installation's first start and kept in the store, so that every node signs with one key.
#pragma once

#include <optional>

#include "protocol/status.h"
#include "server/config/server_config.h"
#include "server/signing/signing_key.h"
#include "storage/store.h"

namespace vgls::server {

// The key of server.signing_key_file; nullopt when that is not set. Errors name the file.
protocol::result<std::optional<signing_key>> load_signing_key_file(const server_config& config);

// When the store holds no key that signs, makes one, stores it and waits until it is durable.
// A standby does nothing (the active node makes it; this node loads it when it takes over).
protocol::status ensure_signing_key(storage::store& store);

}  // namespace vgls::server
