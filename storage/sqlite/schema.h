// The database schema and its versioned migrations. `migrate` brings a database of any earlier
// version up to the current one, each step in its own transaction, and refuses a database written
// by a newer vgls (it would not understand it).
#pragma once

#include "storage/sqlite/database.h"

namespace vgls::storage::sqlite {

inline constexpr int current_schema_version = 3;

// Sets the connection's pragmas (WAL, synchronous=FULL, busy timeout, ...).
void configure_connection(database& db);

// Applies every missing migration. Throws sqlite_error; std::runtime_error for a newer schema.
void migrate(database& db);
// Migrates up to `version` only: for tests that build a database as an older vgls left it.
void migrate(database& db, int version);

}  // namespace vgls::storage::sqlite
