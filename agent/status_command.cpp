#include "agent/status_command.h"

#include <ostream>

#include "agent/exit_codes.h"

namespace vgls::agent {

namespace {

// "in 3h12m" / "4m ago", for people.
std::string relative(std::int64_t seconds) {
  const auto magnitude = seconds < 0 ? -seconds : seconds;
  std::string text;
  if (magnitude >= 86400) {
    text = std::to_string(magnitude / 86400) + "d" + std::to_string(magnitude % 86400 / 3600) + "h";
  } else if (magnitude >= 3600) {
    text = std::to_string(magnitude / 3600) + "h" + std::to_string(magnitude % 3600 / 60) + "m";
  } else if (magnitude >= 60) {
    text = std::to_string(magnitude / 60) + "m" + std::to_string(magnitude % 60) + "s";
  } else {
    text = std::to_string(magnitude) + "s";
  }
  return seconds < 0 ? text + " ago" : "in " + text;
}

void print_not_licensed(const std::filesystem::path& file, const std::string& reason, bool json,
                        std::ostream& out) {
  if (json) {
    out << nlohmann::json{{"licensed", false}, {"state_file", file.string()}, {"reason", reason}}
               .dump(2)
        << "\n";
  } else {
    out << "not licensed: " << reason << "\n";
  }
}

}  // namespace

nlohmann::json status_json(const held_lease& held, const std::filesystem::path& state_file,
                           protocol::unix_seconds now) {
  auto j = to_json(held);
  j.erase("lease");
  j.erase("version");
  j["licensed"] = held.valid_until > now;
  j["state_file"] = state_file.string();
  j["expires_in_seconds"] = held.valid_until - now;
  j["renews_in_seconds"] = held.next_renewal_at - now;
  return j;
}

void print_status_text(const held_lease& held, protocol::unix_seconds now, std::ostream& out) {
  const auto& l = held.lease;
  out << (held.valid_until > now ? "licensed" : "not licensed (lease ended)") << "\n"
      << "  lease:        " << l.id << "\n"
      << "  edition:      " << protocol::to_string(l.granted_edition);
  if (l.requested_edition != l.granted_edition) {
    out << " (asked for " << protocol::to_string(l.requested_edition) << ")";
  }
  out << "\n"
      << "  pool:         " << l.pool_id << "\n"
      << "  server:       " << held.server << "\n"
      << "  client id:    " << l.client_id << "\n"
      << "  expires:      " << protocol::format_rfc3339(held.valid_until) << " ("
      << relative(held.valid_until - now) << ")\n"
      << "  next renewal: " << protocol::format_rfc3339(held.next_renewal_at) << " ("
      << (held.next_renewal_at >= now ? relative(held.next_renewal_at - now) : "overdue") << ")\n";
}

int show_status(const std::filesystem::path& state_dir, bool json, std::ostream& out) {
  const lease_state state(state_dir);
  auto loaded = state.load();
  if (!loaded) {
    print_not_licensed(state.file(), "unreadable state file: " + loaded.error().message(), json,
                       out);
    return exit_code::refused;
  }
  if (!loaded->has_value()) {
    print_not_licensed(state.file(), "no lease held (no " + state.file().string() + ")", json, out);
    return exit_code::refused;
  }
  const auto& held = **loaded;
  const auto now = protocol::system_now();
  if (json) {
    out << status_json(held, state.file(), now).dump(2) << "\n";
  } else {
    print_status_text(held, now, out);
  }
  return held.valid_until > now ? exit_code::ok : exit_code::refused;
}

int verify_status(const std::filesystem::path& state_dir, const key_pins& pins,
                  const std::string& client_id, bool json, std::ostream& out) {
  const lease_state state(state_dir);
  auto loaded = state.load();
  std::string reason;
  std::optional<std::int64_t> left;
  if (!loaded) {
    reason = "unreadable state file: " + loaded.error().message();
  } else if (!loaded->has_value()) {
    reason = "no lease held (no " + state.file().string() + ")";
  } else {
    const auto& held = **loaded;
    auto keys = pins.trusted(held.server);
    if (!keys) {
      reason = keys.error().message();
    } else if (keys->empty()) {
      reason =
          "no trusted keys (none pinned in " + pins.pin_file().string() + ", no trusted_keys_file)";
    } else if (auto checked = check_lease_token(held.lease, client_id, *keys); !checked) {
      reason = checked.message();
    } else {
      left = monotonic_seconds_left(held);
      if (!left)
        reason = "the lease was taken before this boot; not counted as held until renewed";
      else if (*left <= 0)
        reason = "the lease has run out by this machine's clock";
    }
  }
  const bool ok = reason.empty();
  if (json) {
    nlohmann::json j = {{"verified", ok}, {"state_file", state.file().string()}};
    if (ok)
      j["seconds_left"] = *left;
    else
      j["reason"] = reason;
    out << j.dump(2) << "\n";
  } else if (ok) {
    out << "verified: the lease token is signed by a trusted key, names client " << client_id
        << ", and runs " << *left << "s more\n";
  } else {
    out << "not verified: " << reason << "\n";
  }
  return ok ? exit_code::ok : exit_code::refused;
}

int print_token(const std::filesystem::path& state_dir, std::ostream& out, std::ostream& err) {
  const lease_state state(state_dir);
  auto loaded = state.load();
  if (!loaded || !loaded->has_value() || !(**loaded).lease.token) {
    err << "no lease token held (" << state.file().string() << ")\n";
    return exit_code::refused;
  }
  out << *(**loaded).lease.token << "\n";
  return exit_code::ok;
}

}  // namespace vgls::agent
