// Seat rule 1 under concurrency: many simultaneous checkouts never overfill a pool.
#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "tests/storage/store_fixture.h"

using namespace vgls;
using namespace vgls::storage;
using namespace vgls::storage::testing;
using protocol::edition;
using protocol::error_code;

TEST_CASE("200 concurrent checkouts on a 50-seat pool grant exactly 50", "[storage][race]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vws, 50, t0 + 86400)));

  std::mutex mutex;
  std::map<error_code, int> outcomes;
  std::set<std::string> lease_ids;
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load()) {
        std::this_thread::yield();
      }
      for (int i = t; i < 200; i += 8) {
        auto result = s.checkout("vm-" + std::to_string(i), edition::vws);
        std::lock_guard lock(mutex);
        if (result) {
          ++outcomes[error_code::ok];
          lease_ids.insert(result->lease.id);
        } else {
          ++outcomes[result.error().code()];
        }
      }
    });
  }
  go = true;
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(outcomes[error_code::ok] == 50);
  CHECK(outcomes[error_code::no_seat_available] == 150);
  CHECK(lease_ids.size() == 50);
  CHECK(s.get_pool("p")->used == 50);
}

TEST_CASE("asynchronous checkouts queued at once are batched and all answered", "[storage][race]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 50, t0 + 86400)));

  std::mutex mutex;
  std::condition_variable all_done;
  int answered = 0;
  int granted = 0;
  int full = 0;
  for (int i = 0; i < 200; ++i) {
    s.get().checkout(checkout_of("vm-" + std::to_string(i), edition::vapp),
                     [&](protocol::result<checkout_outcome> result) {
                       std::lock_guard lock(mutex);
                       ++answered;
                       if (result) {
                         ++granted;
                       } else if (result.error().code() == error_code::no_seat_available) {
                         ++full;
                       }
                       all_done.notify_one();
                     });
  }
  std::unique_lock lock(mutex);
  all_done.wait(lock, [&] { return answered == 200; });
  CHECK(granted == 50);
  CHECK(full == 150);
}

TEST_CASE("the same client racing itself holds exactly one lease", "[storage][race]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 10, t0 + 86400)));
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<std::string> ids;
  int created = 0;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto result = s.checkout("same-vm", edition::vapp);
      std::lock_guard lock(mutex);
      if (result) {
        ids.insert(result->lease.id);
        created += result->created ? 1 : 0;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(ids.size() == 1);
  CHECK(created == 1);
  CHECK(s.get_pool("p")->used == 1);
}
