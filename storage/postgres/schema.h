// The PostgreSQL schema and its versioned migrations. `migrate` brings a database of any earlier
// version up to the current one in one transaction, holding a transaction-level advisory lock so
// that nodes starting together migrate once, and refuses a database written by a newer vgls.
#pragma once

#include <cstdint>

#include "storage/postgres/connection.h"

namespace vgls::storage::postgres {

inline constexpr int current_schema_version = 1;

// The advisory lock whose holder is the active node (SPEC §7), and the one migrations take.
inline constexpr std::int64_t writer_lock_key = 0x76676c73'00000001;     // "vgls", 1
inline constexpr std::int64_t migration_lock_key = 0x76676c73'00000002;  // "vgls", 2

// Throws pg_error; for a newer schema, a message saying which version it found.
void migrate(connection& db);

// True when the database holds no vgls installation yet (for --import-sqlite).
bool is_empty_installation(connection& db);

}  // namespace vgls::storage::postgres
