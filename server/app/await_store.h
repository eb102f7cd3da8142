// Bridges the store's callback API to coroutines: `co_await await_store<T>(start)` starts an
// operation and resumes the calling coroutine on its own executor (never on the store's thread)
// with the operation's result.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <utility>

#include "protocol/status.h"
#include "storage/store.h"

namespace vgls::server {

// `start` receives a storage::callback<T> and must hand it to one store method.
template <class T, class Start>
boost::asio::awaitable<protocol::result<T>> await_store(Start start) {
  auto executor = co_await boost::asio::this_coro::executor;
  // A named initiation, not a temporary: GCC 12 mis-destroys non-trivial temporaries (here the
  // captured executor) that appear inside a co_await expression.
  auto initiation = [executor, start = std::move(start)](auto handler) mutable {
    // std::function needs a copyable callable; the coroutine's handler is move-only.
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    start(storage::callback<T>([executor, shared](protocol::result<T> outcome) {
      // The store's thread must not run our code: hop back to the connection's executor.
      boost::asio::post(executor, [shared, outcome = std::move(outcome)]() mutable {
        (*shared)(std::move(outcome));
      });
    }));
  };
  auto outcome = co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                                      void(protocol::result<T>)>(
      std::move(initiation), boost::asio::use_awaitable);
  co_return outcome;
}

}  // namespace vgls::server
