// The PostgreSQL backend (SPEC §7). One connection, driven by the store's thread in non-blocking
// mode: a batch is one pipeline (BEGIN, one statement per kind of row with every row of the
// batch in arrays, COMMIT, sync), so it costs one round trip however many requests it carries.
//
// Roles: the connection competes for a session-level advisory lock. While it holds it this node
// is the writer, and it writes through that same session only, so a node whose session ended
// (killed, partitioned, the database restarted) can write nothing. The session is set to end by
// itself when the node stops running (idle_session_timeout, idle_in_transaction_session_timeout)
// and when its host goes silent (keepalives, tcp_user_timeout), both after
// storage.session_timeout. A lost connection is reconnected at the next claim, which must take
// the lock again before anything is written.
//
// Threading: as persistence (store's thread); its reader has its own connection.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "storage/backend_options.h"
#include "storage/engine/persistence.h"

namespace vgls::storage::postgres {

class connection;

class postgres_persistence final : public persistence {
 public:
  explicit postgres_persistence(postgres_options options);
  ~postgres_persistence() override;

  // Connects and migrates the schema. Throws with a message naming the server and the cause.
  void open();

  std::string_view backend_name() const override { return "postgres"; }
  std::string describe() const override;
  bool shares_database() const override { return true; }
  writer_claim claim_writer() override;
  bool still_writer() const override;
  std::chrono::milliseconds claim_interval() const override { return options_.takeover_interval; }
  void load(snapshot_sink& sink) override;
  commit_result commit(const changeset& changes) override;
  std::optional<std::string> find_lease_ending(std::string_view lease_id) override;
  std::optional<protocol::unix_seconds> database_time() override;
  void keep_alive() override;
  std::chrono::milliseconds keep_alive_interval() const override;
  std::unique_ptr<persistence_reader> open_reader() override;
  void close() override;

  // For --import-sqlite: the connection, once open.
  connection& session() { return *conn_; }

 private:
  void connect();
  void prepare_statements();
  std::chrono::milliseconds commit_timeout() const;

  const postgres_options options_;
  std::unique_ptr<connection> conn_;
  std::string where_;  // host:port/database, kept for logs after the connection is gone
  bool holds_lock_ = false;
  bool warned_unreachable_ = false;
};

}  // namespace vgls::storage::postgres
