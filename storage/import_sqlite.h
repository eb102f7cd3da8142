// Moving up (SPEC §7): copies a SQLite installation into an empty PostgreSQL database, every
// table as it is (pools, leases with their ids, lease endings, events with their ids, usage, the
// trial's first start, the clock's high-water mark, tokens and signing keys), in one transaction.
// Agents then renew the same lease ids against the PostgreSQL nodes.
#pragma once

#include <cstdint>
#include <filesystem>

#include "protocol/status.h"
#include "storage/backend_options.h"

namespace vgls::storage {

struct import_summary {
  std::int64_t pools = 0;
  std::int64_t leases = 0;
  std::int64_t events = 0;
  std::int64_t usage_rows = 0;
  std::int64_t tokens = 0;
  std::int64_t signing_keys = 0;
};

// Refuses a target that already holds an installation, and a SQLite file a running vglsd holds;
// errors name the file or the database and say what to do.
protocol::result<import_summary> import_sqlite(const std::filesystem::path& sqlite_file,
                                               const postgres_options& target);

}  // namespace vgls::storage
