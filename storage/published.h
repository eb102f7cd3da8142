// A value that one thread replaces now and then and many threads read: readers get a shared
// pointer to an immutable snapshot, which stays valid however often the value is replaced.
//
// Not std::atomic<std::shared_ptr>: libstdc++ 12 releases that type's internal lock with a
// relaxed store in load(), so a load and a later store race under the C++ memory model (and
// ThreadSanitizer says so). A mutex held for one reference-count increment costs as little here.
//
// Thread-safety: every method may be called from any thread at once.
#pragma once

#include <memory>
#include <mutex>
#include <utility>

namespace vgls::storage {

template <class T>
class published {
 public:
  published() = default;
  explicit published(std::shared_ptr<const T> value) : value_(std::move(value)) {}
  published(const published&) = delete;
  published& operator=(const published&) = delete;

  std::shared_ptr<const T> load() const {
    std::lock_guard lock(mutex_);
    return value_;
  }

  void store(std::shared_ptr<const T> value) {
    {
      std::lock_guard lock(mutex_);
      value_.swap(value);
    }
    // `value` now holds the old snapshot: released here, outside the lock.
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const T> value_;
};

}  // namespace vgls::storage
