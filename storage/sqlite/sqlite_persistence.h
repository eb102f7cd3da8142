// The SQLite backend: one database file in the data directory, WAL mode, synchronous=FULL, written
// through the WAL-coalescing VFS by one connection (the store's thread). A background connection
// checkpoints continuously so the writer rarely pays for it. The process holds an exclusive lock
// on `<file>.lock` while it runs, so a second vglsd on the same data directory refuses to start
// instead of writing beside the first.
//
// Threading: as persistence (store's thread); its reader has its own connection.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "storage/engine/persistence.h"
#include "storage/sqlite/database.h"

namespace vgls::storage::sqlite {

struct commit_statements;

class sqlite_persistence final : public persistence {
 public:
  explicit sqlite_persistence(std::filesystem::path path);
  ~sqlite_persistence() override;

  // Opens (creating) and migrates the file, and takes the lock. Throws with a message that says
  // what is wrong and what to do (a file or directory that is not writable, a newer schema, ...).
  void open();

  std::string_view backend_name() const override { return "sqlite"; }
  std::string describe() const override { return path_.string(); }
  bool shares_database() const override { return false; }
  writer_claim claim_writer() override { return {}; }
  bool still_writer() const override { return true; }
  std::chrono::milliseconds claim_interval() const override { return std::chrono::seconds(1); }
  void load(snapshot_sink& sink) override;
  commit_result commit(const changeset& changes) override;
  std::optional<std::string> find_lease_ending(std::string_view lease_id) override;
  std::optional<protocol::unix_seconds> database_time() override { return std::nullopt; }
  void keep_alive() override {}
  std::chrono::milliseconds keep_alive_interval() const override { return std::chrono::hours(1); }
  std::unique_ptr<persistence_reader> open_reader() override;
  void close() override;

 private:
  void write(const changeset& changes, commit_result& result);
  bool apply_retention(const retention_pass& pass);
  // Copies committed WAL frames into the database file from its own connection, so that the
  // writer rarely pays for a checkpoint inside a commit.
  void run_checkpointer();
  void stop_checkpointer();

  const std::filesystem::path path_;
  int lock_fd_ = -1;
  std::optional<database> db_;
  std::unique_ptr<commit_statements> sql_;

  std::thread checkpointer_;
  std::mutex checkpointer_mutex_;
  std::condition_variable checkpointer_wake_;
  bool checkpointer_stop_ = false;
};

}  // namespace vgls::storage::sqlite
