#include "agent/lease_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "protocol/answer_codec.h"

namespace vgls::agent {

namespace {

using protocol::status;

constexpr int state_format_version = 1;

std::string os_error(std::string_view what, const std::filesystem::path& path) {
  return std::string(what) + " " + path.string() + ": " + std::strerror(errno);
}

// Writes all of `data` to `fd`, retrying short writes.
bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const auto n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

}  // namespace

nlohmann::json to_json(const held_lease& held) {
  // The flat fields are for people and scripts reading the file; "lease" is what resumes.
  return {
      {"version", state_format_version},
      {"server", held.server},
      {"lease_id", held.lease.id},
      {"client_id", held.lease.client_id},
      {"edition", protocol::to_string(held.lease.granted_edition)},
      {"requested_edition", protocol::to_string(held.lease.requested_edition)},
      {"pool_id", held.lease.pool_id},
      {"expires_at", protocol::format_rfc3339(held.lease.expires_at)},
      {"valid_until", protocol::format_rfc3339(held.valid_until)},
      {"next_renewal_at", protocol::format_rfc3339(held.next_renewal_at)},
      {"lease", protocol::to_json(held.lease)},
      {"boottime_valid_until",
       held.boottime_valid_until ? nlohmann::json(*held.boottime_valid_until) : nlohmann::json()},
      {"boot_id", held.boot_id},
  };
}

namespace {

std::int64_t boottime_now() {
  timespec ts{};
  ::clock_gettime(CLOCK_BOOTTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec);
}

std::string current_boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

}  // namespace

void stamp_monotonic_end(held_lease& held, std::int64_t ttl_seconds, std::int64_t elapsed_seconds) {
  held.boottime_valid_until =
      boottime_now() + ttl_seconds - std::max<std::int64_t>(0, elapsed_seconds);
  held.boot_id = current_boot_id();
}

std::optional<std::int64_t> monotonic_seconds_left(const held_lease& held) {
  if (!held.boottime_valid_until || held.boot_id.empty() || held.boot_id != current_boot_id())
    return std::nullopt;
  return *held.boottime_valid_until - boottime_now();
}

protocol::result<held_lease> held_lease_from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("lease") || !j["lease"].is_object()) {
    return status::invalid("lease", "no lease object");
  }
  auto lease = protocol::decode_lease(j["lease"]);
  if (!lease) {
    return lease.error();
  }
  held_lease held;
  held.lease = std::move(lease).value();
  const auto text = [&](const char* key) -> std::optional<std::string> {
    if (!j.contains(key) || !j[key].is_string()) {
      return std::nullopt;
    }
    return j[key].get<std::string>();
  };
  auto server = text("server");
  if (!server) {
    return status::invalid("server", "no server");
  }
  held.server = std::move(*server);
  const auto valid_until = text("valid_until");
  const auto next_renewal_at = text("next_renewal_at");
  const auto parsed_valid = valid_until ? protocol::parse_rfc3339(*valid_until) : std::nullopt;
  const auto parsed_next =
      next_renewal_at ? protocol::parse_rfc3339(*next_renewal_at) : std::nullopt;
  if (!parsed_valid || !parsed_next) {
    return status::invalid("valid_until", "valid_until or next_renewal_at missing or malformed");
  }
  held.valid_until = *parsed_valid;
  if (j.contains("boottime_valid_until") && j["boottime_valid_until"].is_number_integer())
    held.boottime_valid_until = j["boottime_valid_until"].get<std::int64_t>();
  if (j.contains("boot_id") && j["boot_id"].is_string())
    held.boot_id = j["boot_id"].get<std::string>();
  held.next_renewal_at = *parsed_next;
  return held;
}

lease_state::lease_state(std::filesystem::path state_dir)
    : dir_(std::move(state_dir)), file_(dir_ / "lease.json") {}

protocol::result<std::optional<held_lease>> lease_state::load() const {
  std::error_code ec;
  const bool exists = std::filesystem::exists(file_, ec);
  if (ec) {
    return status::unavailable("cannot read " + file_.string() + ": " + ec.message());
  }
  if (!exists) {
    return std::optional<held_lease>{};
  }
  std::ifstream in(file_, std::ios::binary);
  if (!in) {
    return status::unavailable("cannot read " + file_.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) {
    return status::invalid({}, file_.string() + ": not JSON");
  }
  auto held = held_lease_from_json(j);
  if (!held) {
    return status::invalid({}, file_.string() + ": " + held.error().message());
  }
  return std::optional<held_lease>(std::move(held).value());
}

protocol::status lease_state::save(const held_lease& held) const {
  std::error_code ec;
  if (!std::filesystem::exists(dir_, ec)) {
    std::filesystem::create_directories(dir_, ec);
    if (ec) {
      return status::unavailable("cannot create the state dir " + dir_.string() + ": " +
                                 ec.message());
    }
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, ec);
  }
  const auto temp = dir_ / ("lease.json.tmp." + std::to_string(::getpid()));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return status::unavailable(os_error("cannot create", temp));
  }
  const std::string body = to_json(held).dump(2) + "\n";
  const bool written = write_all(fd, body) && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!written) {
    errno = saved_errno;
    auto message = os_error("cannot write", temp);
    ::unlink(temp.c_str());
    return status::unavailable(message);
  }
  if (::rename(temp.c_str(), file_.c_str()) != 0) {
    auto message = os_error("cannot replace", file_);
    ::unlink(temp.c_str());
    return status::unavailable(message);
  }
  // Without this the rename itself may not survive a power cut.
  sync_directory(dir_);
  return status::ok();
}

protocol::status lease_state::clear() const {
  if (::unlink(file_.c_str()) != 0 && errno != ENOENT) {
    return status::unavailable(os_error("cannot remove", file_));
  }
  sync_directory(dir_);
  return status::ok();
}

}  // namespace vgls::agent
