// The lease the agent holds, kept in the state dir (`<state_dir>/lease.json`) so that `status`
// can show it and an agent restarted after a crash or a hard reboot renews that lease instead of
// taking a second seat. Writes are atomic (temp file, fsync, rename, fsync of the directory): a
// reader sees the old file or the new one, never half of one. The file is mode 0600, because the
// lease id is what lets anyone renew or release the seat.
// Not synchronised: one writer (the agent) at a time; readers may run concurrently.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "protocol/lease.h"
#include "protocol/status.h"
#include "protocol/time.h"

namespace vgls::agent {

struct held_lease {
  std::string server;  // the URL that granted or last renewed it
  protocol::lease lease;
  // By this machine's wall clock, computed from the answer's relative durations, so that a guest
  // whose clock disagrees with the server's still knows when its lease ends.
  protocol::unix_seconds valid_until = 0;
  protocol::unix_seconds next_renewal_at = 0;
  // When the lease runs out by this machine's boot-time clock (CLOCK_BOOTTIME, which counts
  // suspended time too), valid only while `boot_id` is the running kernel's: a count of its own
  // that no change of the wall clock moves (SPEC §8 `status --verify`).
  std::optional<std::int64_t> boottime_valid_until;
  std::string boot_id;
};

// Sets `boottime_valid_until` to now + ttl − elapsed (the time the answer took) and `boot_id`.
void stamp_monotonic_end(held_lease& held, std::int64_t ttl_seconds, std::int64_t elapsed_seconds);
// Seconds left by the boot-time clock; nullopt when unknown (no stamp, or another boot).
std::optional<std::int64_t> monotonic_seconds_left(const held_lease& held);

// The lease as the state file writes it; also `status --json`'s lease fields.
nlohmann::json to_json(const held_lease& held);
protocol::result<held_lease> held_lease_from_json(const nlohmann::json& j);

class lease_state {
 public:
  explicit lease_state(std::filesystem::path state_dir);

  // nullopt when no file exists; an error when it exists but cannot be read or understood.
  protocol::result<std::optional<held_lease>> load() const;

  // Creates the state dir (0700) when missing, then replaces the file atomically.
  protocol::status save(const held_lease& held) const;

  // Removes the file; ok when it was already absent.
  protocol::status clear() const;

  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path file_;
};

}  // namespace vgls::agent
