// A multi-producer, single-consumer queue of pending store operations. Producers push from any
// thread; the store's thread takes them in batches. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace vgls::storage {

template <class T>
class work_queue {
 public:
  // Queues `item` and returns null; once the queue is closed, returns `item` unqueued so that the
  // caller can answer it.
  std::unique_ptr<T> push(std::unique_ptr<T> item) {
    {
      std::lock_guard lock(mutex_);
      if (closed_) {
        return item;
      }
      items_.push_back(std::move(item));
    }
    ready_.notify_one();
    return nullptr;
  }

  // Waits until items are queued, the queue is closed, or `deadline` passes; then moves up to
  // `max_items` into `out`. Returns false when the queue is closed and empty.
  bool take(std::vector<std::unique_ptr<T>>& out, std::size_t max_items,
            std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    ready_.wait_until(lock, deadline, [&] { return closed_ || !items_.empty(); });
    while (!items_.empty() && out.size() < max_items) {
      out.push_back(std::move(items_.front()));
      items_.pop_front();
    }
    return !(closed_ && items_.empty() && out.empty());
  }

  // Refuses new items; queued ones are still taken.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::unique_ptr<T>> items_;
  bool closed_ = false;
};

}  // namespace vgls::storage
