// The load generator's event loops: one io_context per thread, so the coroutines of one context
// share that thread's statistics without locks. run() blocks until every context is out of work.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <memory>
#include <vector>

namespace vgls::bench {

class io_threads {
 public:
  explicit io_threads(int count);
  io_threads(const io_threads&) = delete;
  io_threads& operator=(const io_threads&) = delete;

  std::size_t size() const { return contexts_.size(); }
  boost::asio::io_context& context(std::size_t index) { return *contexts_[index % size()]; }

  // Runs every context on its own thread until each is out of work, then joins.
  void run();

 private:
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
};

// co_spawn on `io` with a completion that reports an escaping exception on stderr, so a bug in
// one coroutine is never silent.
void spawn(boost::asio::io_context& io, boost::asio::awaitable<void> work);

}  // namespace vgls::bench
