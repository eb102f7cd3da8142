#include "storage/sqlite/wal_write_coalescing_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace vgls::storage::sqlite {

namespace {

constexpr const char* vfs_name = "vgls-wal-coalescing";
// The unix VFS passes at most 128 KiB - 1 bytes to one pwrite: os_unix.c's seekAndWriteFd masks
// the length with 0x1ffff, and what the mask cut off ends as a short write reported as
// SQLITE_FULL. A run never grows past that (31 frames of 4 KiB pages; a commit of the store
// writes about 15).
constexpr std::size_t buffer_cap = 0x1ffff;
constexpr std::size_t first_capacity = 64 << 10;
// The WAL format: a frame starts with a 24-byte header whose bytes 4..7 hold, for the last frame
// of a commit only, the database size in pages after the commit (big-endian, never 0).
constexpr int frame_header_size = 24;
constexpr int commit_size_offset = 4;

std::atomic<std::uint64_t> writes_received{0};
std::atomic<std::uint64_t> writes_issued{0};

// Lives at the start of the block SQLite allocates for each file (the VFS's szOsFile); the
// default VFS's own file object follows it in the same block.
struct wal_file {
  sqlite3_file base;  // base.pMethods is this shim's table: SQLite sees this object
  sqlite3_file* real;
  char* buffer;
  std::size_t capacity;
  std::size_t size;             // bytes buffered, 0 when nothing is
  sqlite3_int64 offset;         // file offset of buffer[0]
  bool commit_header_buffered;  // the run ends with a commit frame's header; its page follows
};

constexpr std::size_t real_file_offset = (sizeof(wal_file) + 15) / 16 * 16;

sqlite3_vfs* base_vfs(sqlite3_vfs* vfs) {
  return static_cast<sqlite3_vfs*>(vfs->pAppData);
}

wal_file* as_wal(sqlite3_file* file) {
  return reinterpret_cast<wal_file*>(file);
}

const sqlite3_io_methods& real_methods(wal_file* file) {
  return *file->real->pMethods;
}

// Writes the buffered run out. The run is gone afterwards whatever the outcome: after an error
// SQLite abandons the transaction whose frames it held.
int flush(wal_file* file) {
  if (file->size == 0) {
    return SQLITE_OK;
  }
  const int size = static_cast<int>(file->size);
  file->size = 0;
  file->commit_header_buffered = false;
  writes_issued.fetch_add(1, std::memory_order_relaxed);
  return real_methods(file).xWrite(file->real, file->buffer, size, file->offset);
}

bool reserve(wal_file* file, std::size_t needed) {
  if (needed <= file->capacity) {
    return true;
  }
  if (needed > buffer_cap) {
    return false;
  }
  std::size_t capacity = std::max(file->capacity, first_capacity);
  while (capacity < needed) {
    capacity *= 2;
  }
  capacity = std::min(capacity, buffer_cap);
  void* grown = std::realloc(file->buffer, capacity);
  if (grown == nullptr) {
    return false;
  }
  file->buffer = static_cast<char*>(grown);
  file->capacity = capacity;
  return true;
}

bool is_commit_header(const void* data, int amount) {
  if (amount != frame_header_size) {
    return false;
  }
  const auto* bytes = static_cast<const unsigned char*>(data) + commit_size_offset;
  return (bytes[0] | bytes[1] | bytes[2] | bytes[3]) != 0;
}

int wal_close(sqlite3_file* file) {
  wal_file* wal = as_wal(file);
  const int flushed = flush(wal);
  const int closed = real_methods(wal).xClose(wal->real);
  std::free(wal->buffer);
  wal->buffer = nullptr;
  wal->capacity = 0;
  return flushed != SQLITE_OK ? flushed : closed;
}

int wal_read(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
  wal_file* wal = as_wal(file);
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  return real_methods(wal).xRead(wal->real, data, amount, offset);
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  wal_file* wal = as_wal(file);
  writes_received.fetch_add(1, std::memory_order_relaxed);
  const auto size = static_cast<std::size_t>(amount);
  const bool commit_header = is_commit_header(data, amount);
  // Taken before a flush for the cap can clear it: the page then starts a run of its own.
  const bool completes_commit = !commit_header && wal->commit_header_buffered;
  const bool continues =
      wal->size > 0 && offset == wal->offset + static_cast<sqlite3_int64>(wal->size);
  if (!continues || wal->size + size > buffer_cap) {
    if (const int rc = flush(wal); rc != SQLITE_OK) {
      return rc;
    }
  }
  if (!reserve(wal, wal->size + size)) {
    // Too large for the cap, or no memory for the buffer: write it as SQLite asked.
    if (const int rc = flush(wal); rc != SQLITE_OK) {
      return rc;
    }
    writes_issued.fetch_add(1, std::memory_order_relaxed);
    return real_methods(wal).xWrite(wal->real, data, amount, offset);
  }
  if (wal->size == 0) {
    wal->offset = offset;
  }
  std::memcpy(wal->buffer + wal->size, data, size);
  wal->size += size;
  if (commit_header) {
    wal->commit_header_buffered = true;
  } else if (completes_commit) {
    // The commit frame is complete. SQLite publishes it in the wal-index next, with or without an
    // xSync in between, and other connections then read it through their own file handles.
    return flush(wal);
  }
  return SQLITE_OK;
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
  wal_file* wal = as_wal(file);
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  return real_methods(wal).xTruncate(wal->real, size);
}

int wal_sync(sqlite3_file* file, int flags) {
  wal_file* wal = as_wal(file);
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  return real_methods(wal).xSync(wal->real, flags);
}

int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
  wal_file* wal = as_wal(file);
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  return real_methods(wal).xFileSize(wal->real, size);
}

int wal_lock(sqlite3_file* file, int level) {
  wal_file* wal = as_wal(file);
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  return real_methods(wal).xLock(wal->real, level);
}

int wal_unlock(sqlite3_file* file, int level) {
  wal_file* wal = as_wal(file);
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  return real_methods(wal).xUnlock(wal->real, level);
}

int wal_check_reserved_lock(sqlite3_file* file, int* reserved) {
  wal_file* wal = as_wal(file);
  return real_methods(wal).xCheckReservedLock(wal->real, reserved);
}

int wal_file_control(sqlite3_file* file, int op, void* arg) {
  wal_file* wal = as_wal(file);
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  return real_methods(wal).xFileControl(wal->real, op, arg);
}

int wal_sector_size(sqlite3_file* file) {
  wal_file* wal = as_wal(file);
  return real_methods(wal).xSectorSize(wal->real);
}

int wal_device_characteristics(sqlite3_file* file) {
  wal_file* wal = as_wal(file);
  return real_methods(wal).xDeviceCharacteristics(wal->real);
}

// SQLite calls the shared-memory methods on the main database file only, never on the WAL; they
// are forwarded all the same, so that this object is a faithful stand-in for the file it wraps.
int wal_shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** mapped) {
  wal_file* wal = as_wal(file);
  if (real_methods(wal).iVersion < 2) {
    return SQLITE_IOERR_SHMMAP;
  }
  return real_methods(wal).xShmMap(wal->real, region, size, extend, mapped);
}

int wal_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  wal_file* wal = as_wal(file);
  if (real_methods(wal).iVersion < 2) {
    return SQLITE_IOERR_SHMLOCK;
  }
  return real_methods(wal).xShmLock(wal->real, offset, n, flags);
}

void wal_shm_barrier(sqlite3_file* file) {
  wal_file* wal = as_wal(file);
  if (real_methods(wal).iVersion >= 2) {
    real_methods(wal).xShmBarrier(wal->real);
  }
}

int wal_shm_unmap(sqlite3_file* file, int delete_flag) {
  wal_file* wal = as_wal(file);
  if (real_methods(wal).iVersion < 2) {
    return SQLITE_OK;
  }
  return real_methods(wal).xShmUnmap(wal->real, delete_flag);
}

int wal_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** page) {
  wal_file* wal = as_wal(file);
  *page = nullptr;
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  if (real_methods(wal).iVersion < 3) {
    return SQLITE_OK;  // "no mapping": SQLite reads instead
  }
  return real_methods(wal).xFetch(wal->real, offset, amount, page);
}

int wal_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  wal_file* wal = as_wal(file);
  if (real_methods(wal).iVersion < 3) {
    return SQLITE_OK;
  }
  return real_methods(wal).xUnfetch(wal->real, offset, page);
}

const sqlite3_io_methods wal_methods = {
    3,  // iVersion: every method below exists; each checks what the wrapped file offers
    wal_close,
    wal_read,
    wal_write,
    wal_truncate,
    wal_sync,
    wal_file_size,
    wal_lock,
    wal_unlock,
    wal_check_reserved_lock,
    wal_file_control,
    wal_sector_size,
    wal_device_characteristics,
    wal_shm_map,
    wal_shm_lock,
    wal_shm_barrier,
    wal_shm_unmap,
    wal_fetch,
    wal_unfetch,
};

// --- the wal-index in process memory

// What connections of this process to one database share instead of a mapped -shm file: the
// wal-index regions and SQLite's eight WAL locks. Guarded by `mutex`.
struct shm_node {
  std::mutex mutex;
  std::vector<void*> regions;
  int shared[SQLITE_SHM_NLOCK] = {};
  bool exclusive[SQLITE_SHM_NLOCK] = {};
  int attached = 0;
};

std::mutex& registry_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::map<std::string, shm_node*>& registry() {
  static auto* nodes = new std::map<std::string, shm_node*>();
  return *nodes;
}

// The main database file: the default VFS's object, with the xShm* family answered from heap
// memory shared by this process's connections.
struct main_file {
  sqlite3_file base;
  sqlite3_file* real;
  const char* name;  // SQLite keeps a main database's name valid until xClose
  shm_node* shm;
  std::uint32_t shared_mask;
  std::uint32_t exclusive_mask;
};

constexpr std::size_t main_real_offset = (sizeof(main_file) + 15) / 16 * 16;

main_file* as_main(sqlite3_file* file) {
  return reinterpret_cast<main_file*>(file);
}

const sqlite3_io_methods& real_methods(main_file* file) {
  return *file->real->pMethods;
}

shm_node* attach(main_file* file) {
  if (file->shm == nullptr) {
    std::lock_guard lock(registry_mutex());
    shm_node*& node = registry()[file->name != nullptr ? file->name : ""];
    if (node == nullptr) {
      node = new shm_node();
    }
    ++node->attached;
    file->shm = node;
    file->shared_mask = 0;
    file->exclusive_mask = 0;
  }
  return file->shm;
}

void detach(main_file* file) {
  shm_node* node = file->shm;
  if (node == nullptr) {
    return;
  }
  {
    std::lock_guard lock(node->mutex);
    for (int i = 0; i < SQLITE_SHM_NLOCK; ++i) {
      if ((file->shared_mask & (1u << i)) != 0) {
        --node->shared[i];
      }
      if ((file->exclusive_mask & (1u << i)) != 0) {
        node->exclusive[i] = false;
      }
    }
  }
  file->shm = nullptr;
  file->shared_mask = 0;
  file->exclusive_mask = 0;
  std::lock_guard lock(registry_mutex());
  if (--node->attached == 0) {
    // The last connection is gone: the next one rebuilds the index from the WAL, as after a
    // restart.
    for (void* region : node->regions) {
      std::free(region);
    }
    registry().erase(file->name != nullptr ? file->name : "");
    delete node;
  }
}

int main_shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** mapped) {
  shm_node* node = attach(as_main(file));
  std::lock_guard lock(node->mutex);
  const auto wanted = static_cast<std::size_t>(region) + 1;
  if (node->regions.size() < wanted) {
    if (extend == 0) {
      *mapped = nullptr;
      return SQLITE_OK;
    }
    while (node->regions.size() < wanted) {
      void* memory = std::calloc(1, static_cast<std::size_t>(size));
      if (memory == nullptr) {
        *mapped = nullptr;
        return SQLITE_NOMEM;
      }
      node->regions.push_back(memory);
    }
  }
  *mapped = node->regions[static_cast<std::size_t>(region)];
  return SQLITE_OK;
}

int main_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  main_file* main = as_main(file);
  shm_node* node = attach(main);
  std::lock_guard lock(node->mutex);
  const std::uint32_t mask = ((1u << (offset + n)) - 1u) & ~((1u << offset) - 1u);
  if ((flags & SQLITE_SHM_UNLOCK) != 0) {
    for (int i = offset; i < offset + n; ++i) {
      const std::uint32_t bit = 1u << i;
      if ((main->exclusive_mask & bit) != 0) {
        node->exclusive[i] = false;
      }
      if ((main->shared_mask & bit) != 0) {
        --node->shared[i];
      }
    }
    main->exclusive_mask &= ~mask;
    main->shared_mask &= ~mask;
    return SQLITE_OK;
  }
  if ((flags & SQLITE_SHM_SHARED) != 0) {
    for (int i = offset; i < offset + n; ++i) {
      const std::uint32_t bit = 1u << i;
      if ((main->shared_mask & bit) == 0 && (main->exclusive_mask & bit) == 0 &&
          node->exclusive[i]) {
        return SQLITE_BUSY;
      }
    }
    for (int i = offset; i < offset + n; ++i) {
      const std::uint32_t bit = 1u << i;
      if ((main->shared_mask & bit) == 0 && (main->exclusive_mask & bit) == 0) {
        ++node->shared[i];
        main->shared_mask |= bit;
      }
    }
    return SQLITE_OK;
  }
  for (int i = offset; i < offset + n; ++i) {
    const std::uint32_t bit = 1u << i;
    if ((main->exclusive_mask & bit) != 0) {
      continue;
    }
    const int own_shared = (main->shared_mask & bit) != 0 ? 1 : 0;
    if (node->exclusive[i] || node->shared[i] > own_shared) {
      return SQLITE_BUSY;
    }
  }
  for (int i = offset; i < offset + n; ++i) {
    const std::uint32_t bit = 1u << i;
    if ((main->exclusive_mask & bit) == 0) {
      if ((main->shared_mask & bit) != 0) {
        --node->shared[i];
        main->shared_mask &= ~bit;
      }
      node->exclusive[i] = true;
      main->exclusive_mask |= bit;
    }
  }
  return SQLITE_OK;
}

void main_shm_barrier(sqlite3_file* file) {
  shm_node* node = attach(as_main(file));
  // As os_unix.c does: a full fence, and the mutex (whose lock and unlock order memory too, and
  // are what ThreadSanitizer follows; it cannot follow a bare fence).
#if !defined(__SANITIZE_THREAD__)
  std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
  std::lock_guard lock(node->mutex);
}

int main_shm_unmap(sqlite3_file* file, int /*delete_flag: there is no file to delete*/) {
  detach(as_main(file));
  return SQLITE_OK;
}

int main_close(sqlite3_file* file) {
  main_file* main = as_main(file);
  detach(main);
  return real_methods(main).xClose(main->real);
}

int main_read(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
  return real_methods(as_main(file)).xRead(as_main(file)->real, data, amount, offset);
}

int main_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  return real_methods(as_main(file)).xWrite(as_main(file)->real, data, amount, offset);
}

int main_truncate(sqlite3_file* file, sqlite3_int64 size) {
  return real_methods(as_main(file)).xTruncate(as_main(file)->real, size);
}

int main_sync(sqlite3_file* file, int flags) {
  return real_methods(as_main(file)).xSync(as_main(file)->real, flags);
}

int main_file_size(sqlite3_file* file, sqlite3_int64* size) {
  return real_methods(as_main(file)).xFileSize(as_main(file)->real, size);
}

int main_lock(sqlite3_file* file, int level) {
  return real_methods(as_main(file)).xLock(as_main(file)->real, level);
}

int main_unlock(sqlite3_file* file, int level) {
  return real_methods(as_main(file)).xUnlock(as_main(file)->real, level);
}

int main_check_reserved_lock(sqlite3_file* file, int* reserved) {
  return real_methods(as_main(file)).xCheckReservedLock(as_main(file)->real, reserved);
}

int main_file_control(sqlite3_file* file, int op, void* arg) {
  return real_methods(as_main(file)).xFileControl(as_main(file)->real, op, arg);
}

int main_sector_size(sqlite3_file* file) {
  return real_methods(as_main(file)).xSectorSize(as_main(file)->real);
}

int main_device_characteristics(sqlite3_file* file) {
  return real_methods(as_main(file)).xDeviceCharacteristics(as_main(file)->real);
}

int main_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** page) {
  main_file* main = as_main(file);
  *page = nullptr;
  if (real_methods(main).iVersion < 3) {
    return SQLITE_OK;
  }
  return real_methods(main).xFetch(main->real, offset, amount, page);
}

int main_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  main_file* main = as_main(file);
  if (real_methods(main).iVersion < 3) {
    return SQLITE_OK;
  }
  return real_methods(main).xUnfetch(main->real, offset, page);
}

const sqlite3_io_methods main_methods = {
    3,
    main_close,
    main_read,
    main_write,
    main_truncate,
    main_sync,
    main_file_size,
    main_lock,
    main_unlock,
    main_check_reserved_lock,
    main_file_control,
    main_sector_size,
    main_device_characteristics,
    main_shm_map,
    main_shm_lock,
    main_shm_barrier,
    main_shm_unmap,
    main_fetch,
    main_unfetch,
};

int vfs_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
             int* out_flags) {
  sqlite3_vfs* base = base_vfs(vfs);
  if ((flags & SQLITE_OPEN_MAIN_DB) != 0) {
    main_file* main = as_main(file);
    main->base.pMethods = nullptr;
    main->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + main_real_offset);
    main->name = name;
    main->shm = nullptr;
    main->shared_mask = 0;
    main->exclusive_mask = 0;
    const int rc = base->xOpen(base, name, main->real, flags, out_flags);
    if (rc == SQLITE_OK && main->real->pMethods != nullptr) {
      main->base.pMethods = &main_methods;
    }
    return rc;
  }
  if ((flags & SQLITE_OPEN_WAL) == 0) {
    // The block is at least as large as the default VFS's file object: let it live there as if
    // this VFS did not exist.
    return base->xOpen(base, name, file, flags, out_flags);
  }
  wal_file* wal = as_wal(file);
  wal->base.pMethods = nullptr;  // until open succeeds, so that SQLite does not call xClose
  wal->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + real_file_offset);
  wal->buffer = nullptr;
  wal->capacity = 0;
  wal->size = 0;
  wal->offset = 0;
  wal->commit_header_buffered = false;
  const int rc = base->xOpen(base, name, wal->real, flags, out_flags);
  if (rc == SQLITE_OK && wal->real->pMethods != nullptr) {
    wal->base.pMethods = &wal_methods;
  }
  return rc;
}

int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return base_vfs(vfs)->xDelete(base_vfs(vfs), name, sync_dir);
}

int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* result) {
  return base_vfs(vfs)->xAccess(base_vfs(vfs), name, flags, result);
}

int vfs_full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return base_vfs(vfs)->xFullPathname(base_vfs(vfs), name, size, out);
}

void* vfs_dl_open(sqlite3_vfs* vfs, const char* name) {
  return base_vfs(vfs)->xDlOpen(base_vfs(vfs), name);
}

void vfs_dl_error(sqlite3_vfs* vfs, int size, char* message) {
  base_vfs(vfs)->xDlError(base_vfs(vfs), size, message);
}

void (*vfs_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return base_vfs(vfs)->xDlSym(base_vfs(vfs), handle, symbol);
}

void vfs_dl_close(sqlite3_vfs* vfs, void* handle) {
  base_vfs(vfs)->xDlClose(base_vfs(vfs), handle);
}

int vfs_randomness(sqlite3_vfs* vfs, int size, char* out) {
  return base_vfs(vfs)->xRandomness(base_vfs(vfs), size, out);
}

int vfs_sleep(sqlite3_vfs* vfs, int microseconds) {
  return base_vfs(vfs)->xSleep(base_vfs(vfs), microseconds);
}

int vfs_current_time(sqlite3_vfs* vfs, double* now) {
  return base_vfs(vfs)->xCurrentTime(base_vfs(vfs), now);
}

int vfs_get_last_error(sqlite3_vfs* vfs, int size, char* message) {
  return base_vfs(vfs)->xGetLastError(base_vfs(vfs), size, message);
}

int vfs_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* now) {
  return base_vfs(vfs)->xCurrentTimeInt64(base_vfs(vfs), now);
}

int vfs_set_system_call(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr call) {
  return base_vfs(vfs)->xSetSystemCall(base_vfs(vfs), name, call);
}

sqlite3_syscall_ptr vfs_get_system_call(sqlite3_vfs* vfs, const char* name) {
  return base_vfs(vfs)->xGetSystemCall(base_vfs(vfs), name);
}

const char* vfs_next_system_call(sqlite3_vfs* vfs, const char* name) {
  return base_vfs(vfs)->xNextSystemCall(base_vfs(vfs), name);
}

sqlite3_vfs* make_vfs(sqlite3_vfs* base) {
  static sqlite3_vfs vfs{};
  vfs.iVersion = std::min(base->iVersion, 3);
  vfs.szOsFile = static_cast<int>(std::max(real_file_offset, main_real_offset)) + base->szOsFile;
  vfs.mxPathname = base->mxPathname;
  vfs.zName = vfs_name;
  vfs.pAppData = base;
  vfs.xOpen = vfs_open;
  vfs.xDelete = vfs_delete;
  vfs.xAccess = vfs_access;
  vfs.xFullPathname = vfs_full_pathname;
  vfs.xDlOpen = base->xDlOpen != nullptr ? vfs_dl_open : nullptr;
  vfs.xDlError = base->xDlError != nullptr ? vfs_dl_error : nullptr;
  vfs.xDlSym = base->xDlSym != nullptr ? vfs_dl_sym : nullptr;
  vfs.xDlClose = base->xDlClose != nullptr ? vfs_dl_close : nullptr;
  vfs.xRandomness = vfs_randomness;
  vfs.xSleep = vfs_sleep;
  vfs.xCurrentTime = vfs_current_time;
  vfs.xGetLastError = base->xGetLastError != nullptr ? vfs_get_last_error : nullptr;
  if (vfs.iVersion >= 2) {
    vfs.xCurrentTimeInt64 = base->xCurrentTimeInt64 != nullptr ? vfs_current_time_int64 : nullptr;
  }
  if (vfs.iVersion >= 3) {
    vfs.xSetSystemCall = base->xSetSystemCall != nullptr ? vfs_set_system_call : nullptr;
    vfs.xGetSystemCall = base->xGetSystemCall != nullptr ? vfs_get_system_call : nullptr;
    vfs.xNextSystemCall = base->xNextSystemCall != nullptr ? vfs_next_system_call : nullptr;
  }
  return &vfs;
}

}  // namespace

const char* wal_write_coalescing_vfs() {
  static const char* const name = []() -> const char* {
    sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
    if (base == nullptr) {
      return nullptr;
    }
    if (sqlite3_vfs_register(make_vfs(base), /*makeDflt=*/0) != SQLITE_OK) {
      return nullptr;
    }
    return vfs_name;
  }();
  return name;
}

wal_write_counts wal_write_coalescing_counts() {
  return {writes_received.load(std::memory_order_relaxed),
          writes_issued.load(std::memory_order_relaxed)};
}

}  // namespace vgls::storage::sqlite
