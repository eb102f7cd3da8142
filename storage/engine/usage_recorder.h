// Per-minute usage accumulation for the usage report (SPEC §2 /v1/usage): for each edition the
// peak of active leases of that granted edition, grants (by granted edition) and denials (by
// requested edition) in the current minute. The store writes a closed minute into the minute
// table and rolls it up into the hour and day tables; the still-open minute is read from here.
//
// Thread-safety: none; owned by the store's thread.
#pragma once

#include <array>
#include <cstdint>

#include "protocol/edition.h"
#include "protocol/time.h"

namespace vgls::storage {

struct usage_counts {
  std::int64_t peak_used = 0;
  std::int64_t granted = 0;
  std::int64_t denied = 0;
};

class usage_recorder {
 public:
  static constexpr protocol::unix_seconds minute = 60;
  static protocol::unix_seconds minute_of(protocol::unix_seconds t) {
    return t - (((t % minute) + minute) % minute);
  }

  // Starts accumulating the minute containing `now` with the given active counts per edition.
  void start(protocol::unix_seconds now, const std::array<std::int64_t, 4>& active);
  bool started() const { return started_; }
  // True when `now` lies in a later minute than the one being accumulated.
  bool minute_closed(protocol::unix_seconds now) const {
    return started_ && minute_of(now) > minute_start_;
  }

  // The active count of `granted` edition after a grant.
  void on_granted(protocol::edition granted, std::int64_t active_after);
  void on_denied(protocol::edition requested);
  // Raises the peak when `active` is higher (e.g. seen at a renewal or at minute start).
  void observe(protocol::edition edition, std::int64_t active);

  protocol::unix_seconds minute_start() const { return minute_start_; }
  const usage_counts& counts(protocol::edition edition) const {
    return counts_[static_cast<std::size_t>(edition)];
  }

 private:
  bool started_ = false;
  protocol::unix_seconds minute_start_ = 0;
  std::array<usage_counts, 4> counts_{};
};

}  // namespace vgls::storage
