// The SQLite implementation of `store`. One database file in the data directory, WAL mode,
// synchronous=FULL; one thread owns the connection and commits queued requests in batches
// (group commit), answering each only after its batch is durable.
#pragma once

#include <filesystem>
#include <memory>

#include "protocol/status.h"
#include "storage/store.h"
#include "storage/store_options.h"

namespace vgls::storage {

// Opens (creating and migrating as needed) the database at `path`, creates the trial pools on
// the very first start, brings declared pools in line, records server.started, and starts the
// store's thread. An error names the file and what went wrong.
protocol::result<std::unique_ptr<store>> open_sqlite_store(const std::filesystem::path& path,
                                                           store_options options);

}  // namespace vgls::storage
