// `vgls-agent status`: what the state dir says this VM holds. Licensed means a lease is recorded
// and, by this machine's clock and the server's ttl, has not ended. Returns 0 when licensed and 1
// when not, so scripts and units can gate on it. Reads only; safe beside a running agent.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <nlohmann/json.hpp>

#include "agent/key_pins.h"
#include "agent/lease_state.h"

namespace vgls::agent {

int show_status(const std::filesystem::path& state_dir, bool json, std::ostream& out);

// `status --verify`: the held lease's token must verify with `pins`' trusted keys, its `sub` be
// `client_id`, and the lease not have run out by the boot-time clock. 0 when all hold, else 1
// with the reason (on `out`, or in the JSON's "reason").
int verify_status(const std::filesystem::path& state_dir, const key_pins& pins,
                  const std::string& client_id, bool json, std::ostream& out);

// `token`: prints the held token and a newline; 1 (and nothing on `out`) when there is none.
int print_token(const std::filesystem::path& state_dir, std::ostream& out, std::ostream& err);

// The lease as `status` and `checkout` print it: the state file's fields plus "licensed",
// "state_file", "expires_in_seconds" and "renews_in_seconds" (negative when overdue).
nlohmann::json status_json(const held_lease& held, const std::filesystem::path& state_file,
                           protocol::unix_seconds now);
void print_status_text(const held_lease& held, protocol::unix_seconds now, std::ostream& out);

}  // namespace vgls::agent
