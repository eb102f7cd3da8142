#include "agent/agent_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "agent/renewal_schedule.h"
#include "protocol/edition.h"

namespace vgls::agent {

namespace {

using protocol::error_code;

std::string seconds_text(std::chrono::milliseconds delay) {
  return fmt::format("{:.1f}s", static_cast<double>(delay.count()) / 1000.0);
}

std::uint64_t random_seed() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

// Errors no retry will cure without an operator; they are logged at error level so they stand out.
bool needs_operator(const call_failure& error) {
  if (!error.reached()) {
    return false;
  }
  switch (error.status.code()) {
    case error_code::license_expired:
    case error_code::no_pool_for_edition:
    case error_code::unauthorized:
    case error_code::invalid_request:
    case error_code::unknown_edition:
      return true;
    default:
      return false;
  }
}

std::string edition_text(const protocol::checkout_request& request) {
  std::string text(protocol::to_string(request.requested_edition));
  if (request.vgpu_profile) {
    text += " (vGPU profile " + *request.vgpu_profile + ")";
  }
  return text;
}

// A takeover ends within seconds (SPEC §7): standbys are asked again every second for this many
// rounds, after which an installation that has no active node gets the normal backoff.
constexpr int standby_fast_rounds = 30;
constexpr std::chrono::milliseconds standby_retry{1000};

std::chrono::milliseconds until(std::chrono::steady_clock::time_point when) {
  return std::max(std::chrono::milliseconds(0), std::chrono::ceil<std::chrono::milliseconds>(
                                                    when - std::chrono::steady_clock::now()));
}

}  // namespace

agent_service::agent_service(agent_settings settings, stop_signal& stop, systemd_notifier& notifier)
    : settings_(std::move(settings)),
      stop_(stop),
      notifier_(notifier),
      state_(settings_.state_dir),
      backoff_(settings_.retry_initial, settings_.retry_max, random_seed()),
      jitter_(random_seed()),
      pins_(settings_.state_dir, settings_.trusted_keys_file) {
  for (const auto& url : settings_.servers) {
    servers_.push_back(std::make_unique<license_server>(url, settings_.client_options));
    servers_.back()->verify_tokens(pins_, settings_.checkout.client_id);
  }
}

int agent_service::run() {
  spdlog::info("vgls-agent {} starting: client id {}, asking for {}, {} server(s), state in {}",
               VGLS_VERSION, settings_.checkout.client_id, edition_text(settings_.checkout),
               servers_.size(), state_.file().string());
  std::optional<holding> current = resume();
  while (!stop_.requested()) {
    if (!current) {
      current = check_out_until_licensed();
      continue;
    }
    const auto check_due = current->checked + settings_.check_interval;
    if (check_due < current->renew_due) {
      if (stop_.wait_for(until(check_due))) {
        break;
      }
      if (check(*current) == check_result::held) {
        continue;
      }
      current.reset();
      if (auto s = state_.clear(); !s) {
        spdlog::warn("cannot clear the state file: {}", s.message());
      }
      continue;
    }
    if (stop_.wait_for(until(current->renew_due))) {
      break;
    }
    const auto outcome = renew(*current);
    if (outcome == renew_result::stopped) {
      break;
    }
    if (outcome == renew_result::lost) {
      current.reset();
      if (auto s = state_.clear(); !s) {
        spdlog::warn("cannot clear the state file: {}", s.message());
      }
    }
  }
  spdlog::info("stop requested (signal {})", stop_.signal_number());
  if (current) {
    release(*current);
  } else {
    notifier_.stopping("stopping; no lease held");
    spdlog::info("no lease held; exiting");
  }
  return 0;
}

std::optional<agent_service::holding> agent_service::resume() {
  auto loaded = state_.load();
  if (!loaded) {
    spdlog::warn(
        "ignoring the state file: {}; checking out a seat (the server returns this "
        "client's existing lease, if any)",
        loaded.error().message());
    return std::nullopt;
  }
  if (!loaded->has_value()) {
    return std::nullopt;
  }
  held_lease held = std::move(**loaded);
  const auto& request = settings_.checkout;
  if (held.lease.client_id != request.client_id) {
    spdlog::warn(
        "the state file holds lease {} of client {}, but this VM is client {}; leaving "
        "that lease to expire at {} and checking out",
        held.lease.id, held.lease.client_id, request.client_id,
        protocol::format_rfc3339(held.lease.expires_at));
    (void)state_.clear();
    return std::nullopt;
  }
  if (!protocol::satisfies(held.lease.granted_edition, request.requested_edition, true)) {
    spdlog::info(
        "the state file holds lease {} of edition {}, but {} is configured now; checking "
        "out (the server exchanges the lease)",
        held.lease.id, protocol::to_string(held.lease.granted_edition),
        protocol::to_string(request.requested_edition));
    return std::nullopt;
  }
  const auto left = held.valid_until - protocol::system_now();
  if (left <= 0) {
    spdlog::info("lease {} in the state file ended at {}; checking out a new seat", held.lease.id,
                 protocol::format_rfc3339(held.valid_until));
    (void)state_.clear();
    return std::nullopt;
  }
  spdlog::info(
      "found lease {} ({}) from {} in the state file, valid for {}s more; renewing it "
      "now instead of taking a second seat",
      held.lease.id, protocol::to_string(held.lease.granted_edition), held.server, left);
  const auto now = clock::now();
  holding current{std::move(held), std::nullopt, now, now + std::chrono::seconds(left), now};
  current.server_index = index_of(current.held.server);
  return current;
}

std::optional<agent_service::holding> agent_service::check_out_until_licensed() {
  backoff_.reset();
  for (int round = 1;; ++round) {
    notifier_.status(
        fmt::format("checking out a {} seat (round {})", edition_text(settings_.checkout), round));
    auto order = server_order(std::nullopt);
    std::string last_error;
    bool only_standbys = true;
    for (std::size_t position = 0; position < order.size(); ++position) {
      if (stop_.requested()) {
        return std::nullopt;
      }
      auto& server = *servers_[order[position]];
      auto request = settings_.checkout;
      request.client_time = protocol::system_now();
      const auto asked = clock::now();
      auto outcome = server.checkout(request);
      if (outcome.is_ok()) {
        return take(std::move(*outcome), order[position], asked, *request.client_time);
      }
      const auto& error = outcome.error();
      only_standbys = only_standbys && error.from_standby();
      follow_active_node(order, position, error);
      const bool last = position + 1 == order.size();
      const auto delay = last ? round_delay(only_standbys) : std::chrono::milliseconds(0);
      const auto next = what_next(order, position, delay);
      last_error = server.url() + ": " + error.describe();
      if (error.reached() && error.status.code() == error_code::license_expired) {
        spdlog::error(
            "LICENSE EXPIRED: checkout of a {} seat from {} refused: {}. This VM stays "
            "unlicensed until an administrator adds or extends a pool; {}",
            edition_text(settings_.checkout), server.url(), error.describe(), next);
      } else if (needs_operator(error)) {
        spdlog::error("checkout from {} refused: {}; this needs an administrator; {}", server.url(),
                      error.describe(), next);
      } else {
        spdlog::warn("checkout from {} failed: {}; {}", server.url(), error.describe(), next);
      }
      if (last) {
        notifier_.status(
            fmt::format("not licensed: {}; retrying in {}", last_error, seconds_text(delay)));
        if (stop_.wait_for(delay)) {
          return std::nullopt;
        }
      }
    }
  }
}

agent_service::renew_result agent_service::renew(holding& current) {
  backoff_.reset();
  const std::string id = current.held.lease.id;
  for (;;) {
    auto order = server_order(current.server_index);
    bool only_standbys = true;
    for (std::size_t position = 0; position < order.size(); ++position) {
      if (stop_.requested()) {
        return renew_result::stopped;
      }
      auto& server = *servers_[order[position]];
      const auto asked = clock::now();
      const auto asked_wall = protocol::system_now();
      auto outcome = server.renew(id);
      if (outcome.is_ok()) {
        current = take(std::move(*outcome), order[position], asked, asked_wall);
        return renew_result::renewed;
      }
      const auto& error = outcome.error();
      if (error.reached() && (error.status.code() == error_code::lease_not_found ||
                              error.status.code() == error_code::license_expired)) {
        const bool expired = error.status.code() == error_code::license_expired;
        spdlog::log(expired ? spdlog::level::err : spdlog::level::warn,
                    "{}lease {} is gone at {} ({}); checking out a new seat",
                    expired ? "LICENSE EXPIRED: " : "", id, server.url(), error.describe());
        notifier_.status(
            fmt::format("not licensed: lease {} is gone ({}); checking out", id, error.describe()));
        return renew_result::lost;
      }
      only_standbys = only_standbys && error.from_standby();
      follow_active_node(order, position, error);
      const auto left = until(current.ends);
      const bool last = position + 1 == order.size();
      auto delay = last ? std::min(round_delay(only_standbys), left) : std::chrono::milliseconds(0);
      if (last && left.count() == 0) {
        spdlog::error(
            "renewal of lease {} from {} failed: {}; the lease has now ended without a "
            "renewal; checking out a new seat",
            id, server.url(), error.describe());
        notifier_.status(
            fmt::format("not licensed: lease {} ended without a renewal ({}); "
                        "checking out",
                        id, error.describe()));
        return renew_result::lost;
      }
      spdlog::warn("renewal of lease {} from {} failed: {}; the lease ends in {}; {}", id,
                   server.url(), error.describe(), seconds_text(left),
                   what_next(order, position, delay));
      if (last) {
        notifier_.status(
            fmt::format("licensed, but renewal is failing ({}: {}); the lease ends "
                        "in {}; retrying in {}",
                        server.url(), error.describe(), seconds_text(left), seconds_text(delay)));
        if (stop_.wait_for(delay)) {
          return renew_result::stopped;
        }
      }
    }
  }
}

agent_service::check_result agent_service::check(holding& current) {
  const std::string& id = current.held.lease.id;
  current.checked = clock::now();
  auto order = server_order(current.server_index);
  std::string last_error;
  for (std::size_t position = 0; position < order.size(); ++position) {
    if (stop_.requested()) {
      return check_result::held;
    }
    auto& server = *servers_[order[position]];
    auto outcome = server.lookup(id);
    if (outcome.is_ok()) {
      spdlog::debug("lease {} is still held at {}; checking again in {}", id, server.url(),
                    seconds_text(settings_.check_interval));
      return check_result::held;
    }
    const auto& error = outcome.error();
    if (error.reached() && error.status.code() == error_code::lease_not_found) {
      spdlog::warn(
          "lease {} is no longer held at {} ({}): an administrator revoked it or the server "
          "reclaimed it; this VM is not licensed now; clearing the state file and checking out "
          "a new seat",
          id, server.url(), error.describe());
      notifier_.status(
          fmt::format("not licensed: lease {} was revoked or reclaimed; checking out", id));
      return check_result::lost;
    }
    last_error = server.url() + ": " + error.describe();
    follow_active_node(order, position, error);
  }
  // No answer about the lease is no sign that it is gone: an outage must not unlicense a VM.
  spdlog::warn(
      "could not check lease {} ({}); keeping it, as it ends only at {} (server time) or when "
      "a renewal says so; checking again in {}",
      id, last_error, protocol::format_rfc3339(current.held.lease.expires_at),
      seconds_text(settings_.check_interval));
  return check_result::held;
}

void agent_service::release(const holding& current) {
  const auto& id = current.held.lease.id;
  notifier_.stopping(fmt::format("releasing lease {}", id));
  const auto deadline = clock::now() + settings_.stop_timeout;
  auto order = server_order(current.server_index);
  for (std::size_t position = 0; position < order.size(); ++position) {
    const auto index = order[position];
    const auto left = until(deadline);
    if (left.count() == 0) {
      break;
    }
    auto options = settings_.client_options;
    options.connect_timeout = std::min(options.connect_timeout, left);
    options.request_timeout = std::min(options.request_timeout, left);
    license_server server(settings_.servers[index], options);
    auto outcome = server.release(id);
    if (outcome.is_ok()) {
      if (auto s = state_.clear(); !s) {
        spdlog::warn("released lease {}, but cannot clear the state file: {}", id, s.message());
      }
      spdlog::info("released lease {} at {}; the seat is free; exiting", id, server.url());
      return;
    }
    const auto& error = outcome.error();
    spdlog::warn("release of lease {} at {} failed: {}", id, server.url(), error.describe());
    follow_active_node(order, position, error);
  }
  // The lease still exists on the server: keeping the file lets a restarted agent resume it.
  spdlog::warn(
      "could not release lease {} within {}; its seat frees itself when the lease "
      "expires at {} (server time); the state file is kept so that a restarted agent "
      "renews this lease instead of taking another seat; exiting",
      id, seconds_text(settings_.stop_timeout),
      protocol::format_rfc3339(current.held.lease.expires_at));
}

agent_service::holding agent_service::take(protocol::lease lease, std::size_t server_index,
                                           clock::time_point asked,
                                           protocol::unix_seconds asked_wall) {
  // Both schedules count from when the request left, so a slow answer errs on the early side,
  // and from the answer's relative durations, so this machine's clock does not matter.
  // The server's hint, floored and jittered (renewal_schedule.h), so that a pool in its last
  // minutes is not renewed every second and a fleet does not renew in lock-step.
  const auto ttl = std::chrono::seconds(std::max<std::int64_t>(1, lease.ttl_seconds));
  const auto renew_after = std::chrono::ceil<std::chrono::seconds>(
      renewal_delay(std::chrono::seconds(std::max<std::int64_t>(0, lease.renew_after_seconds)), ttl,
                    std::uniform_real_distribution<double>(0.0, 1.0)(jitter_)));
  holding current;
  current.held.server = servers_[server_index]->url();
  current.held.valid_until = asked_wall + ttl.count();
  stamp_monotonic_end(
      current.held, ttl.count(),
      std::chrono::duration_cast<std::chrono::seconds>(clock::now() - asked).count());
  current.held.next_renewal_at = asked_wall + renew_after.count();
  current.held.lease = std::move(lease);
  current.server_index = server_index;
  current.renew_due = asked + renew_after;
  current.ends = asked + ttl;
  current.checked = asked;
  if (auto s = state_.save(current.held); !s) {
    spdlog::error(
        "cannot write the state file: {}; the VM stays licensed, but a restarted agent "
        "will not know this lease",
        s.message());
  }
  const auto& l = current.held.lease;
  const auto line = fmt::format("licensed: lease {} ({} from pool {}) from {}; renewing in {}s",
                                l.id, protocol::to_string(l.granted_edition), l.pool_id,
                                current.held.server, renew_after.count());
  if (!notifier_.ready_sent()) {
    spdlog::info("{}; lease expires at {} (server time){}", line,
                 protocol::format_rfc3339(l.expires_at),
                 systemd_notifier::active() ? "; telling systemd the VM is licensed" : "");
  } else {
    spdlog::info("renewed lease {} at {}; expires at {} (server time); renewing again in {}s", l.id,
                 current.held.server, protocol::format_rfc3339(l.expires_at), renew_after.count());
  }
  notifier_.ready(line);
  backoff_.reset();
  standby_rounds_ = 0;
  return current;
}

std::vector<std::size_t> agent_service::server_order(std::optional<std::size_t> first) const {
  std::vector<std::size_t> order;
  if (first) {
    order.push_back(*first);
  }
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    if (!first || i != *first) {
      order.push_back(i);
    }
  }
  return order;
}

std::optional<std::size_t> agent_service::index_of(const std::string& url) const {
  // A standby names the active node by its advertise_url; a configured URL may end in a slash.
  const auto trimmed = [](std::string_view text) {
    return text.ends_with('/') ? text.substr(0, text.size() - 1) : text;
  };
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    if (trimmed(servers_[i]->url()) == trimmed(url)) {
      return i;
    }
  }
  return std::nullopt;
}

void agent_service::follow_active_node(std::vector<std::size_t>& order, std::size_t position,
                                       const call_failure& error) {
  if (!error.from_standby() || error.active_node.empty()) {
    return;
  }
  const auto active = index_of(error.active_node);
  if (!active) {
    if (unknown_active_ != error.active_node) {
      unknown_active_ = error.active_node;
      spdlog::warn(
          "{} names {} as the active node, which is not among this agent's servers; add it to "
          "`servers` in the agent's config so that the agent can reach it",
          servers_[order[position]]->url(), error.active_node);
    }
    return;
  }
  const auto later =
      std::find(order.begin() + static_cast<std::ptrdiff_t>(position) + 1, order.end(), *active);
  if (later != order.end()) {
    std::rotate(order.begin() + static_cast<std::ptrdiff_t>(position) + 1, later, later + 1);
  }
}

std::chrono::milliseconds agent_service::round_delay(bool only_standbys) {
  if (!only_standbys) {
    standby_rounds_ = 0;
  } else if (++standby_rounds_ <= standby_fast_rounds) {
    return std::min(standby_retry, settings_.retry_max);
  }
  return backoff_.next();
}

std::string agent_service::what_next(const std::vector<std::size_t>& order, std::size_t position,
                                     std::chrono::milliseconds delay) const {
  if (position + 1 < order.size()) {
    return "trying " + servers_[order[position + 1]]->url() + " next";
  }
  return order.size() > 1 ? "trying all servers again in " + seconds_text(delay)
                          : "trying again in " + seconds_text(delay);
}

}  // namespace vgls::agent
