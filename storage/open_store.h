// Opens the store that the configuration names: the engine over the SQLite or the PostgreSQL
// backend. Opening creates and migrates the schema, loads the state, creates the trial pools on
// the installation's very first start, brings declared pools in line and records server.started.
#pragma once

#include <memory>

#include "protocol/status.h"
#include "storage/backend_options.h"
#include "storage/store.h"
#include "storage/store_options.h"

namespace vgls::storage {

// An error names the database (file, or host and database) and what went wrong, so that an
// operator can fix it; nothing is left running.
protocol::result<std::unique_ptr<store>> open_store(const backend_options& backend,
                                                    store_options options);

}  // namespace vgls::storage
