// An SQLite VFS that wraps the default one and turns the many small writes SQLite makes to a WAL
// file into few large ones.
//
// Why: SQLite writes each WAL frame with two calls, the 24-byte frame header and then the page,
// so a commit of n pages costs 2n pwrite() system calls, each touching the kernel's page cache
// separately. The frames of one commit are contiguous in the file, so this VFS collects them in
// memory and hands them to the kernel as one write.
//
// It also keeps the wal-index (what SQLite otherwise keeps in the memory-mapped <db>-shm file) in
// heap memory shared by this process's connections. Why: a store to a mapped page of a file that
// became immutable, or whose file system was remounted read-only after an I/O error, is answered
// by the kernel with SIGBUS, which kills the server with nothing logged; memory the process owns
// cannot fail that way, so such a file system gives I/O errors (503) instead. Unlike
// locking_mode=EXCLUSIVE, which also keeps the index in the heap, it lets the store's second and
// third connections (the background checkpointer, the reader of events and usage) work as before.
// The price: only one process may use a database at a time — which vglsd enforces with its
// <db>.lock file — and another program must not write the database while vglsd runs (it would
// not see vglsd's wal-index; reading a copy, or the file of a stopped server, is fine).
// The main database file is wrapped for the xShm* family only; every other call goes straight to
// the default VFS's object.
//
// What it does for writes: files opened with SQLITE_OPEN_WAL are wrapped; every other file is the
// default VFS's own object, untouched. On a WAL file, a
// write that continues the buffered run exactly (and keeps it under 128 KiB) is appended to it.
// The run is written out, in one call to the default VFS's xWrite, before anything else is done
// to the file: xSync (write first, then sync, so a sync covers exactly what it covered before),
// xRead, xFileSize, xTruncate, xClose, xFileControl, xLock/xUnlock, xFetch, a write that does not
// continue the run, or a run that would grow past the cap. It is also written out right after the
// page of a commit frame (a frame header whose "database size after commit" field is not zero).
// An error from that write is returned by the call that caused it (an xSync, an xRead, ...);
// SQLite treats an I/O error from any of them as a failed transaction and rolls it back. The
// failed run is discarded: its frames lie past the last committed frame, where the next
// transaction writes again. The other methods (xCheckReservedLock, xSectorSize,
// xDeviceCharacteristics, the xShm* family) go straight to the wrapped file.
//
// Why this is safe:
// - Durability is unchanged. With synchronous=FULL a commit returns only after xSync on the WAL,
//   and xSync writes the run before it syncs, so the same bytes reach the device before the same
//   acknowledgement. A crash loses only bytes SQLite never synced, as a crash just before the
//   write would have; recovery ignores a missing or torn tail by the frames' salts and checksums.
// - Other connections never see a frame still in memory. A reader, or the background
//   checkpointer, reads the WAL through its own file handle, and only frames up to the mxFrame
//   published in the wal-index header. SQLite publishes it after the commit's frames were written
//   and synced; since a commit frame is written out as soon as its page is, this holds even with
//   synchronous=NORMAL, where no xSync follows the commit.
// - The connection sees its own writes: its reads of the WAL (a page it spilled earlier in the
//   same transaction, the checksum rewrite after such a page was written again) write the run
//   out first.
// - One case needs a single writer. A transaction larger than the page cache spills frames to
//   the WAL before its commit; if it then rolls back, they stay buffered until the next call on
//   that file, which writes them past the last committed frame, where they are ignored and later
//   overwritten. Were another connection to commit frames there in between, that late write would
//   clobber them. So a database written through this VFS must have one writing connection (in
//   vgls the store's thread; the checkpointer only reads the WAL, and nothing else may write the
//   file while the server runs). Turning spilling off would lift this, at the price of holding
//   a whole large transaction (a migration copying a table) in memory.
//
// Thread-safety: registration is thread-safe. A wrapped file belongs to one connection, which
// SQLite never uses from two threads at once, so a file's buffer needs no lock. The counters are
// atomics.
#pragma once

#include <cstdint>

namespace vgls::storage::sqlite {

// Registers the VFS on first use (never as the process's default) and returns its name, for
// sqlite3_open_v2's zVfs argument. nullptr if it could not be registered: SQLite then opens with
// its default VFS, which is correct, only without the coalescing.
const char* wal_write_coalescing_vfs();

// Writes to WAL files since the process started: as SQLite made them, and as they were passed on
// to the default VFS. For tests, which check that the shim is in effect.
struct wal_write_counts {
  std::uint64_t received = 0;
  std::uint64_t issued = 0;
};
wal_write_counts wal_write_coalescing_counts();

}  // namespace vgls::storage::sqlite
