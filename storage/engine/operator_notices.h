// What the engine tells an operator in the log (SPEC §13): refused checkouts (a warning at most
// once a minute per edition and reason, with the count), a pool that became full (once, until it
// has a free seat again), a pool within 14 days of its end (at start and daily), a pool that
// ended (an error). Each line says what happened and what the operator can do.
//
// Thread-safety: none; owned by the engine on the store's thread.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "protocol/edition.h"
#include "protocol/pool.h"
#include "protocol/status.h"
#include "protocol/time.h"

namespace vgls::storage {

class operator_notices {
 public:
  static constexpr protocol::unix_seconds denial_interval = 60;
  static constexpr protocol::unix_seconds ending_warning = 14 * protocol::seconds_per_day;

  // A checkout for `requested` was refused with `why`.
  void denied(protocol::edition requested, const protocol::status& why, protocol::unix_seconds now);
  // After a grant: `used` of the pool's seats are taken.
  void seats_taken(const protocol::pool& pool, std::int64_t used);
  // Once a second or so, for every pool: ends, free seats again, and the pending denial counts.
  void review(const protocol::pool& pool, std::int64_t used, protocol::unix_seconds now);
  void flush_denials(protocol::unix_seconds now);
  void pool_removed(std::string_view id);
  // Forgets what was said (a reload on another node's state, say); ends seen again are said again.
  void reset();

 private:
  struct denial_count {
    std::int64_t count = 0;                  // not yet logged
    protocol::unix_seconds last_logged = 0;  // 0: never
    std::string example;                     // the latest refusal's message
  };
  void log_denials(protocol::edition edition, protocol::error_code code, denial_count& counts);

  std::map<std::pair<protocol::edition, protocol::error_code>, denial_count> denials_;
  std::set<std::string, std::less<>> full_;
  std::map<std::string, protocol::unix_seconds, std::less<>> next_ending_warning_;
  std::set<std::string, std::less<>> ended_;
};

}  // namespace vgls::storage
