// What the engine needs of a database, and no more: load the state at start, commit one batch's
// rows as one transaction, and a few reads that memory does not hold. A backend (SQLite,
// PostgreSQL) implements it; the engine never sees SQL.
//
// Errors: every method may throw (any std::exception); a failed commit changed nothing, and the
// engine then reloads its state before it serves again.
//
// Threading: a persistence object is used by the store's thread only. A reader (open_reader) is
// used by one other thread, the store's reader, and has its own connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/requests.h"
#include "protocol/status.h"
#include "storage/engine/changeset.h"
#include "storage/engine/rows.h"
#include "storage/store.h"

namespace vgls::storage {

// Receives the stored state, in this order: meta, pools, leases (in issue order), tokens, keys.
class snapshot_sink {
 public:
  virtual ~snapshot_sink() = default;
  virtual void meta(std::string key, std::string value) = 0;
  virtual void pool(protocol::pool pool) = 0;
  virtual void lease(lease_row lease) = 0;
  virtual void token(token_record token) = 0;
  virtual void signing_key(signing_key_record key) = 0;
  // The highest event id ever given out (retention may have deleted it), 0 when none.
  virtual void last_event_id(std::int64_t id) = 0;
};

struct commit_result {
  bool retention_more = false;  // the retention pass hit its bound: more is due
};

// Admin reads, off the store's thread.
class persistence_reader {
 public:
  virtual ~persistence_reader() = default;
  // Events with id > query.after (of query.type when set), ascending, at most `limit`.
  virtual std::vector<protocol::event> read_events(const protocol::event_query& query,
                                                   int limit) = 0;
  // Usage rows of one grain with from <= start < to (of one edition when set).
  virtual std::vector<usage_row> read_usage(usage_grain grain, protocol::unix_seconds from,
                                            protocol::unix_seconds to,
                                            std::optional<protocol::edition> edition) = 0;
};

// How a node stands towards the right to write (SPEC §7 roles). A backend with a single writer
// by construction (SQLite) always answers `writer`.
struct writer_claim {
  enum class outcome { writer, other_writer, unreachable } result = outcome::writer;
  std::string reason;                      // for `unreachable`: what failed
  std::optional<std::string> active_node;  // for `other_writer`: its advertised URL, if stored
};

class persistence {
 public:
  virtual ~persistence() = default;
  persistence(const persistence&) = delete;
  persistence& operator=(const persistence&) = delete;

  // "sqlite" or "postgres", for /v1/server.
  virtual std::string_view backend_name() const = 0;
  // Where the data lives, for logs: a file, or host and database.
  virtual std::string describe() const = 0;
  // True when several nodes may share this database, one writing at a time (PostgreSQL): the
  // node is then active or standby and decides by the database's clock. False for a database
  // that one process owns (SQLite).
  virtual bool shares_database() const = 0;

  // Tries to become (or stay) the one node that writes. Called before every load and, while
  // standing by, every takeover interval.
  virtual writer_claim claim_writer() = 0;
  // False once the session that made this node the writer is gone: it must claim again.
  virtual bool still_writer() const = 0;
  // How often a standby tries to claim (storage.takeover_interval).
  virtual std::chrono::milliseconds claim_interval() const = 0;

  virtual void load(snapshot_sink& sink) = 0;
  // Writes `changes` in one transaction; returns after it is durable.
  virtual commit_result commit(const changeset& changes) = 0;
  // The pool that ended the lease `lease_id` by expiring, when it was recorded.
  virtual std::optional<std::string> find_lease_ending(std::string_view lease_id) = 0;

  // The database server's clock, for backends that share a database (SPEC §7 Time); nullopt
  // when it cannot be read now.
  virtual std::optional<protocol::unix_seconds> database_time() = 0;
  // Called on the store's thread when it has been idle for a while: keeps a session alive, or
  // lets it notice it is gone.
  virtual void keep_alive() = 0;
  // How often keep_alive must run at least.
  virtual std::chrono::milliseconds keep_alive_interval() const = 0;

  // A reader with its own connection. Called from the reader's thread, while the store's thread
  // uses this object: it must touch nothing the store's thread does.
  virtual std::unique_ptr<persistence_reader> open_reader() = 0;

  // Leaves the database tidy for the next start (e.g. a checkpoint). Called once, last.
  virtual void close() = 0;

 protected:
  persistence() = default;
};

}  // namespace vgls::storage
