// A client fleet for takeover tests: threads that check out (and release some) against every
// node in turn, as agents do (on 503 or a transport failure, the next node), and keep the ledger
// of what was acknowledged.
#pragma once

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace vgls::testing {

class checkout_load {
 public:
  // Starts `threads` threads; every checkout uses a new client id; every fifth granted lease is
  // released again at once.
  checkout_load(std::vector<std::string> urls, int threads = 3);
  ~checkout_load();
  checkout_load(const checkout_load&) = delete;
  checkout_load& operator=(const checkout_load&) = delete;

  void stop();
  // Granted (201) and not released by this load.
  std::set<std::string> held() const;
  // Released with an acknowledged 204.
  std::set<std::string> released() const;
  // Requests whose outcome is unknown: no answer (the node died under them), or a release
  // answered 503 (its database went away during the commit).
  int unanswered() const { return unanswered_.load(); }
  int granted() const { return granted_.load(); }

 private:
  void run(int thread);

  std::vector<std::string> urls_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> granted_{0};
  std::atomic<int> unanswered_{0};
  mutable std::mutex mutex_;
  std::set<std::string> held_;
  std::set<std::string> released_;
  std::vector<std::thread> threads_;
};

// The load's ledger held against a node: held leases that no longer renew by their id, released
// ones that came back. Both must be 0 after any fault. A node that answers 503 or not at all is
// asked again for up to 10 s; each miss is printed with its answer.
struct ledger_check {
  int not_renewed = 0;
  int came_back = 0;
};
ledger_check check_ledger(const std::string& url, const checkout_load& load);

}  // namespace vgls::testing
