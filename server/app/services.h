// What route handlers depend on: the store, the configuration, the metrics and the lease signer.
// Owned by the server (main assembles it); handlers only borrow it. The store and metrics are
// thread-safe; the configuration is read-only after start.
#pragma once

#include <chrono>

#include "server/config/server_config.h"
#include "server/metrics/metrics.h"
#include "server/signing/lease_signer.h"
#include "storage/store.h"

namespace vgls::server {

struct services {
  storage::store& store;
  const server_config& config;
  server::metrics& metrics;
  const lease_signer& signer;
  std::chrono::steady_clock::time_point started_at = std::chrono::steady_clock::now();
};

}  // namespace vgls::server
