#include "bench/vgls_bench/io_threads.h"

#include <boost/asio/co_spawn.hpp>
#include <exception>
#include <iostream>
#include <thread>

namespace vgls::bench {

io_threads::io_threads(int count) {
  for (int i = 0; i < count; ++i)
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
}

void io_threads::run() {
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < contexts_.size(); ++i)
    threads.emplace_back([this, i] { contexts_[i]->run(); });
  contexts_[0]->run();
  for (auto& t : threads)
    t.join();
}

void spawn(boost::asio::io_context& io, boost::asio::awaitable<void> work) {
  boost::asio::co_spawn(io, std::move(work), [](std::exception_ptr error) {
    if (!error)
      return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      std::cerr << "vgls-bench: a connection failed: " << e.what() << "\n";
    }
  });
}

}  // namespace vgls::bench
