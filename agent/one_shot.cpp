#include "agent/one_shot.h"

#include <ostream>

#include "agent/exit_codes.h"
#include "agent/lease_state.h"
#include "agent/license_server.h"
#include "agent/status_command.h"

namespace vgls::agent {

namespace {

// The exit code after every server failed: 1 when at least one answered (and refused), 3 when
// none could be reached.
int failure_code(bool any_reached) {
  return any_reached ? exit_code::refused : exit_code::unreachable;
}

void print_error(std::ostream& err, const std::string& server, const call_failure& error) {
  err << server << ": " << (error.reached() ? "refused: " : "") << error.describe() << "\n";
}

}  // namespace

int check_out_once(const agent_settings& settings, bool json, std::ostream& out,
                   std::ostream& err) {
  bool any_reached = false;
  key_pins pins(settings.state_dir, settings.trusted_keys_file);
  for (const auto& url : settings.servers) {
    license_server server(url, settings.client_options);
    server.verify_tokens(pins, settings.checkout.client_id);
    auto request = settings.checkout;
    const auto asked = protocol::system_now();
    request.client_time = asked;
    auto outcome = server.checkout(request);
    if (outcome.is_ok()) {
      protocol::lease& lease = *outcome;
      held_lease held;
      held.server = server.url();
      held.valid_until = asked + lease.ttl_seconds;
      stamp_monotonic_end(held, lease.ttl_seconds, protocol::system_now() - asked);
      held.next_renewal_at = asked + lease.renew_after_seconds;
      held.lease = std::move(lease);
      const lease_state state(settings.state_dir);
      if (auto s = state.save(held); !s) {
        // The seat is taken; say so, and that `release` will not find it.
        err << "licensed, but the state file could not be written: " << s.message()
            << " (vgls-agent release will not know lease " << held.lease.id << ")\n";
      }
      const auto now = protocol::system_now();
      if (json) {
        out << status_json(held, state.file(), now).dump(2) << "\n";
      } else {
        print_status_text(held, now, out);
      }
      return exit_code::ok;
    }
    const auto& error = outcome.error();
    any_reached = any_reached || error.reached();
    print_error(err, server.url(), error);
  }
  return failure_code(any_reached);
}

int release_once(const agent_settings& settings, bool json, std::ostream& out, std::ostream& err) {
  const lease_state state(settings.state_dir);
  auto loaded = state.load();
  if (!loaded) {
    err << "cannot read the state: " << loaded.error().message() << "\n";
    return exit_code::usage;
  }
  if (!loaded->has_value()) {
    if (json) {
      out << nlohmann::json{{"released", nullptr}, {"reason", "no lease held"}}.dump(2) << "\n";
    } else {
      out << "no lease held; nothing to release\n";
    }
    return exit_code::ok;
  }
  const auto& held = **loaded;
  // The server that granted the lease first (also when it is no longer configured), then the
  // others in order.
  std::vector<client::server_url> order;
  for (const auto& url : settings.servers) {
    if (url.text != held.server) {
      order.push_back(url);
    }
  }
  if (auto origin = client::parse_server_url(held.server)) {
    order.insert(order.begin(), std::move(*origin));
  }
  bool any_reached = false;
  for (const auto& url : order) {
    license_server server(url, settings.client_options);
    auto outcome = server.release(held.lease.id);
    if (outcome.is_ok()) {
      if (auto s = state.clear(); !s) {
        err << "released, but the state file could not be removed: " << s.message() << "\n";
      }
      if (json) {
        out << nlohmann::json{{"released", held.lease.id}, {"server", server.url()}}.dump(2)
            << "\n";
      } else {
        out << "released lease " << held.lease.id << " at " << server.url() << "\n";
      }
      return exit_code::ok;
    }
    const auto& error = outcome.error();
    any_reached = any_reached || error.reached();
    print_error(err, server.url(), error);
  }
  return failure_code(any_reached);
}

}  // namespace vgls::agent
