// `vgls-agent run`: the service every VM runs (SPEC §4). It checks out a seat, retrying across
// all servers with capped exponential backoff until it holds one; keeps the lease in the state
// dir and tells systemd READY=1; renews at `renew_after_seconds` (floored and jittered, see
// renewal_schedule.h) by the monotonic clock, failing over while a renewal fails and checking
// out again when the lease is gone; between renewals looks the lease up every `check_interval`
// (SPEC §13), so that a revoke is noticed within that; and on SIGTERM or SIGINT releases the
// lease (bounded by the stop timeout), clears the state and returns 0.
// A lease found in the state dir at start (after a crash or a hard reboot) is renewed rather
// than a second seat taken. Single-threaded; the stop signal interrupts every wait.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "agent/agent_settings.h"
#include "agent/backoff.h"
#include "agent/key_pins.h"
#include "agent/lease_state.h"
#include "agent/license_server.h"
#include "agent/stop_signal.h"
#include "agent/systemd_notifier.h"

namespace vgls::agent {

class agent_service {
 public:
  agent_service(agent_settings settings, stop_signal& stop, systemd_notifier& notifier);

  // Runs until a stop signal; the process exit code.
  int run();

 private:
  using clock = std::chrono::steady_clock;

  // A lease and its schedule on the monotonic clock.
  struct holding {
    held_lease held;
    std::optional<std::size_t> server_index;  // of the server that last answered for it
    clock::time_point renew_due;
    clock::time_point ends;     // by the server's ttl; no renewal after this can keep it
    clock::time_point checked;  // when a server last vouched for it (granted, renewed, looked up)
  };

  enum class renew_result { renewed, lost, stopped };
  enum class check_result { held, lost };

  std::optional<holding> resume();
  std::optional<holding> check_out_until_licensed();
  renew_result renew(holding& current);
  // GET /v1/leases/{id} (SPEC §13): `lost` only when a server answered `lease_not_found`; a
  // server that cannot be reached, or any other answer, keeps the lease.
  check_result check(holding& current);
  void release(const holding& current);

  // Records a lease a server just gave (asked at `asked`), in the state dir and toward systemd.
  holding take(protocol::lease lease, std::size_t server_index, clock::time_point asked,
               protocol::unix_seconds asked_wall);
  // Server indexes to try: `first` (when known), then the rest in configured order.
  std::vector<std::size_t> server_order(std::optional<std::size_t> first) const;
  // The configured server with this URL (a trailing slash aside).
  std::optional<std::size_t> index_of(const std::string& url) const;
  // After a standby's answer: moves the active node it names to the next place in `order`, when
  // that node is a configured server not yet asked after `position`.
  void follow_active_node(std::vector<std::size_t>& order, std::size_t position,
                          const call_failure& error);
  // The wait after a round in which every server failed: a second while every answer came from
  // a standby (a takeover is under way; for a bounded number of rounds), else the backoff.
  std::chrono::milliseconds round_delay(bool only_standbys);
  // "trying <next server> next", or "trying all servers again in 4.0s" after the last one.
  std::string what_next(const std::vector<std::size_t>& order, std::size_t position,
                        std::chrono::milliseconds delay) const;

  agent_settings settings_;
  stop_signal& stop_;
  systemd_notifier& notifier_;
  lease_state state_;
  backoff backoff_;
  std::mt19937_64 jitter_;      // draws each renewal's jitter
  int standby_rounds_ = 0;      // rounds in a row answered only by standbys
  std::string unknown_active_;  // an active node named that is not configured, warned about once
  key_pins pins_;
  std::vector<std::unique_ptr<license_server>> servers_;
};

}  // namespace vgls::agent
