// The WAL write-coalescing VFS: what SQLite writes through it is what every other connection
// reads, at once after each commit; a failed write fails the transaction; only WAL files are
// touched. The checks read through connections on SQLite's default VFS, so they do not depend on
// the shim they test.
#include "storage/sqlite/wal_write_coalescing_vfs.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "storage/sqlite/database.h"
#include "tests/storage/store_fixture.h"

using namespace vgls::storage;
using vgls::storage::testing::scratch_dir;

namespace {

// A connection of its own, with its own file handles, opened afresh for each look at the file:
// what it reads of the WAL it reads from the file, never from the writer's buffer. It shares
// the VFS (and so the wal-index, which the VFS keeps in this process's memory) with the writer,
// as the store's checkpointer and reader do: a connection on SQLite's default VFS would keep an
// index of its own in the -shm file and not see the writer's commits.
class plain_connection {
 public:
  explicit plain_connection(const std::filesystem::path& path) {
    sqlite3* raw = nullptr;
    const int code = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE,
                                     sqlite::wal_write_coalescing_vfs());
    db_.reset(raw);
    REQUIRE(code == SQLITE_OK);
  }

  std::int64_t integer(const std::string& sql) {
    auto stmt = prepare(sql);
    REQUIRE(sqlite3_step(stmt.get()) == SQLITE_ROW);
    return sqlite3_column_int64(stmt.get(), 0);
  }

  std::string text(const std::string& sql) {
    auto stmt = prepare(sql);
    REQUIRE(sqlite3_step(stmt.get()) == SQLITE_ROW);
    const auto* bytes = sqlite3_column_text(stmt.get(), 0);
    return bytes != nullptr ? reinterpret_cast<const char*>(bytes) : "";
  }

  void exec(const std::string& sql) {
    REQUIRE(sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  }

 private:
  struct closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  struct finalizer {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  std::unique_ptr<sqlite3_stmt, finalizer> prepare(const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    const int code = sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, finalizer> stmt(raw);
    INFO(sql);
    REQUIRE(code == SQLITE_OK);
    return stmt;
  }

  std::unique_ptr<sqlite3, closer> db_;
};

std::int64_t integer(sqlite::database& db, const std::string& sql) {
  auto stmt = db.prepare(sql);
  REQUIRE(stmt.step());
  const std::int64_t value = stmt.int64(0);
  stmt.reset();
  return value;
}

// A WAL-mode database written through the shim (sqlite::database opens every file with it),
// never checkpointed unless a test asks.
sqlite::database open_wal_writer(const std::filesystem::path& path,
                                 const std::string& synchronous = "FULL") {
  sqlite::database db(path);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = " + synchronous);
  db.exec("PRAGMA wal_autocheckpoint = 0");
  db.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, marker TEXT, v BLOB)");
  return db;
}

std::string rows(int count, const std::string& select) {
  return "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
         std::to_string(count) + ") INSERT INTO t (marker, v) " + select + " FROM n";
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::filesystem::path wal_of(const std::filesystem::path& db) {
  return db.string() + "-wal";
}

// Caps the size of any file this process writes, so that a write past it fails with EFBIG (and
// SIGXFSZ, ignored meanwhile); both are restored on destruction.
class file_size_limit {
 public:
  explicit file_size_limit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &limit) == 0);
  }
  ~file_size_limit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    signal(SIGXFSZ, old_handler_);
  }
  file_size_limit(const file_size_limit&) = delete;
  file_size_limit& operator=(const file_size_limit&) = delete;

 private:
  rlimit saved_{};
  sighandler_t old_handler_ = SIG_DFL;
};

}  // namespace

TEST_CASE("a commit's frames reach the WAL in one write", "[storage][sqlite-only][wal-vfs]") {
  REQUIRE(sqlite::wal_write_coalescing_vfs() != nullptr);
  scratch_dir dir;
  auto db = open_wal_writer(dir.file("t.db"));
  db.exec("INSERT INTO t (marker) VALUES ('first')");  // the WAL has its header from here on

  const auto before = sqlite::wal_write_coalescing_counts();
  db.exec(rows(40, "SELECT 'row', randomblob(1000)"));
  const auto after = sqlite::wal_write_coalescing_counts();
  // Ten pages or more, each a frame header and a page as SQLite writes them.
  CHECK(after.received - before.received >= 20);
  CHECK(after.issued - before.issued == 1);
}

TEST_CASE("every commit is in the WAL file and read by a fresh connection at once",
          "[storage][sqlite-only][wal-vfs]") {
  scratch_dir dir;
  const auto path = dir.file("t.db");
  auto db = open_wal_writer(path);
  plain_connection long_lived(path);

  std::int64_t bytes = 0;
  for (int i = 1; i <= 30; ++i) {
    const std::string marker = "marker-" + std::to_string(i) + "-end";
    const int size = i * 7000;
    db.exec("INSERT INTO t (id, marker, v) VALUES (" + std::to_string(i) + ", '" + marker +
            "', randomblob(" + std::to_string(size) + "))");
    bytes += size;
    INFO("commit " << i);
    CHECK(file_bytes(wal_of(path)).find(marker) != std::string::npos);
    plain_connection fresh(path);
    CHECK(fresh.integer("SELECT count(*) FROM t") == i);
    CHECK(fresh.text("SELECT marker FROM t WHERE id = " + std::to_string(i)) == marker);
    CHECK(long_lived.integer("SELECT sum(length(v)) FROM t") == bytes);
  }

  SECTION("a transaction larger than the buffer") {
    db.exec(rows(3, "SELECT 'large', randomblob(1100000)"));
    bytes += 3 * 1100000;
    plain_connection fresh(path);
    CHECK(fresh.integer("SELECT sum(length(v)) FROM t") == bytes);
    CHECK(fresh.text("PRAGMA integrity_check") == "ok");
  }

  SECTION("after another connection checkpointed and emptied the WAL") {
    long_lived.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    CHECK(std::filesystem::file_size(wal_of(path)) == 0);
    // The writer starts the WAL over: its header at offset 0, then the frames.
    db.exec("INSERT INTO t (marker, v) VALUES ('after-restart', randomblob(5000))");
    plain_connection fresh(path);
    CHECK(fresh.integer("SELECT count(*) FROM t WHERE marker = 'after-restart'") == 1);
    CHECK(fresh.integer("SELECT sum(length(v)) FROM t") == bytes + 5000);
    CHECK(fresh.text("PRAGMA integrity_check") == "ok");
  }

  SECTION("after the writer closed") {
    db = sqlite::database(dir.file("other.db"));
    plain_connection fresh(path);
    CHECK(fresh.integer("SELECT sum(length(v)) FROM t") == bytes);
    CHECK(fresh.text("PRAGMA integrity_check") == "ok");
  }
}

TEST_CASE("a commit is written out even when no sync follows it",
          "[storage][sqlite-only][wal-vfs]") {
  // synchronous=NORMAL: SQLite publishes the commit in the wal-index without syncing the WAL.
  scratch_dir dir;
  const auto path = dir.file("t.db");
  auto db = open_wal_writer(path, "NORMAL");
  for (int i = 1; i <= 5; ++i) {
    db.exec(rows(20, "SELECT 'normal-" + std::to_string(i) + "', randomblob(900)"));
    plain_connection fresh(path);
    CHECK(fresh.integer("SELECT count(*) FROM t") == 20 * i);
    CHECK(fresh.text("PRAGMA integrity_check") == "ok");
  }
  // Commits of 26 to 45 pages: at 32 frames the commit frame's header is the last that fits in
  // the buffer, and its page starts a run of its own.
  std::int64_t count = 100;
  for (int pages = 26; pages <= 45; ++pages) {
    db.exec(rows(pages, "SELECT 'page-sized', randomblob(3000)"));
    count += pages;
    INFO(pages << " rows of a page each");
    plain_connection fresh(path);
    CHECK(fresh.integer("SELECT count(*) FROM t") == count);
    CHECK(fresh.text("PRAGMA integrity_check") == "ok");
  }
}

TEST_CASE("transactions larger than the page cache spill, rewrite and roll back correctly",
          "[storage][sqlite-only][wal-vfs]") {
  // A tiny cache makes SQLite write frames before the commit, read them back, write pages again
  // in place and rewrite their checksums at the commit.
  scratch_dir dir;
  const auto path = dir.file("t.db");
  auto db = open_wal_writer(path);
  db.exec("PRAGMA cache_size = 10");

  db.exec("BEGIN");
  db.exec(rows(2000, "SELECT 'spilled', randomblob(200)"));
  db.exec("UPDATE t SET marker = 'updated', v = zeroblob(150)");
  db.exec("COMMIT");
  {
    plain_connection fresh(path);
    CHECK(fresh.integer("SELECT count(*) FROM t WHERE marker = 'updated'") == 2000);
    CHECK(fresh.integer("SELECT sum(length(v)) FROM t") == 2000 * 150);
    CHECK(fresh.text("PRAGMA integrity_check") == "ok");
  }

  db.exec("BEGIN");
  db.exec(rows(2000, "SELECT 'rolled back', randomblob(200)"));
  db.exec("ROLLBACK");
  db.exec("INSERT INTO t (marker) VALUES ('after rollback')");
  plain_connection fresh(path);
  CHECK(fresh.integer("SELECT count(*) FROM t") == 2001);
  CHECK(fresh.integer("SELECT count(*) FROM t WHERE marker = 'rolled back'") == 0);
  CHECK(fresh.text("PRAGMA integrity_check") == "ok");
  CHECK(integer(db, "SELECT count(*) FROM t") == 2001);
}

TEST_CASE("a write that fails fails the transaction, and nothing of it is committed",
          "[storage][sqlite-only][wal-vfs]") {
  scratch_dir dir;
  const auto path = dir.file("t.db");
  auto db = open_wal_writer(path);
  db.exec("INSERT INTO t (marker, v) VALUES ('kept', randomblob(3000))");
  const auto wal_size = std::filesystem::file_size(wal_of(path));

  {
    // Room for about two more frames: the commit's buffered run is cut short, then refused.
    file_size_limit limit(wal_size + 10000);
    int code = SQLITE_OK;
    try {
      db.exec(rows(50, "SELECT 'lost', randomblob(4000)"));
    } catch (const sqlite::sqlite_error& e) {
      code = e.code();
    }
    CHECK((code & 0xff) == SQLITE_IOERR);
  }

  CHECK(integer(db, "SELECT count(*) FROM t") == 1);
  {
    plain_connection fresh(path);
    CHECK(fresh.integer("SELECT count(*) FROM t") == 1);
    CHECK(fresh.text("PRAGMA integrity_check") == "ok");
  }
  // The connection carries on once the file can be written again.
  db.exec(rows(50, "SELECT 'written', randomblob(4000)"));
  plain_connection fresh(path);
  CHECK(fresh.integer("SELECT count(*) FROM t WHERE marker = 'written'") == 50);
  CHECK(fresh.integer("SELECT count(*) FROM t WHERE marker = 'lost'") == 0);
  CHECK(fresh.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("files other than the WAL are written as SQLite writes them",
          "[storage][sqlite-only][wal-vfs]") {
  scratch_dir dir;
  const auto path = dir.file("t.db");

  SECTION("a rollback-journal database") {
    sqlite::database db(path);
    const auto before = sqlite::wal_write_coalescing_counts();
    db.exec("PRAGMA journal_mode = DELETE");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, marker TEXT, v BLOB)");
    db.exec(rows(40, "SELECT 'row', randomblob(1000)"));
    const auto after = sqlite::wal_write_coalescing_counts();
    CHECK(after.received == before.received);
    CHECK(after.issued == before.issued);
    plain_connection fresh(path);
    CHECK(fresh.integer("SELECT count(*) FROM t") == 40);
  }

  SECTION("a checkpoint writes the database file, not the WAL") {
    auto db = open_wal_writer(path);
    db.exec(rows(40, "SELECT 'row', randomblob(1000)"));
    const auto before = sqlite::wal_write_coalescing_counts();
    db.exec("PRAGMA wal_checkpoint(PASSIVE)");
    const auto after = sqlite::wal_write_coalescing_counts();
    CHECK(after.received == before.received);
    CHECK(after.issued == before.issued);
    plain_connection fresh(path);
    CHECK(fresh.integer("SELECT count(*) FROM t") == 40);
  }
}
