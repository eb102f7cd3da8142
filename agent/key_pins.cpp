#include "agent/key_pins.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "client/lease_token_verify.h"

namespace vgls::agent {
namespace {

using protocol::status;

protocol::result<std::vector<protocol::public_jwk>> read_jwks(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in)
    return status::invalid("trusted_keys_file", "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  auto keys = protocol::decode_keys_answer(text.str());
  if (!keys)
    return status::invalid("trusted_keys_file",
                           path.string() + " is not a JWKS: " + keys.error().message());
  return keys;
}

bool has_kid(const std::vector<protocol::public_jwk>& keys, const std::string& kid) {
  return std::any_of(keys.begin(), keys.end(),
                     [&](const protocol::public_jwk& k) { return k.kid == kid; });
}

status refused(const std::string& why) {
  return status::invalid("token", "lease token refused: " + why);
}

}  // namespace

status check_lease_token(const protocol::lease& l, const std::string& client_id,
                         const std::vector<protocol::public_jwk>& keys) {
  if (!l.token)
    return refused("the answer carries no token");
  auto claims = client::verify_lease_token(*l.token, keys);
  if (!claims)
    return refused(claims.error().message());
  if (claims->sub != client_id)
    return refused("it is for client " + claims->sub + ", not " + client_id);
  if (claims->jti != l.id)
    return refused("it is for lease " + claims->jti + ", not " + l.id);
  if (claims->exp != l.expires_at || claims->edition != l.granted_edition)
    return refused("its claims differ from the lease answered beside it");
  return {};
}

key_pins::key_pins(std::filesystem::path state_dir,
                   std::optional<std::filesystem::path> trusted_keys_file)
    : state_dir_(std::move(state_dir)),
      pin_file_(state_dir_ / "keys.json"),
      trusted_keys_file_(std::move(trusted_keys_file)) {}

protocol::result<nlohmann::json> key_pins::load_pins() const {
  std::error_code ec;
  if (!std::filesystem::exists(pin_file_, ec))
    return nlohmann::json{{"servers", nlohmann::json::object()}};
  std::ifstream in(pin_file_);
  std::ostringstream text;
  text << in.rdbuf();
  auto pins = nlohmann::json::parse(text.str(), nullptr, false);
  if (pins.is_discarded() || !pins.is_object() || !pins.contains("servers") ||
      !pins["servers"].is_object())
    return status::invalid("keys", "the pinned keys " + pin_file_.string() + " are unreadable");
  return pins;
}

protocol::result<std::vector<protocol::public_jwk>> key_pins::trusted(
    const std::string& server) const {
  if (trusted_keys_file_)
    return read_jwks(*trusted_keys_file_);
  auto pins = load_pins();
  if (!pins)
    return pins.error();
  const auto& servers = (*pins)["servers"];
  if (!servers.contains(server))
    return std::vector<protocol::public_jwk>{};
  auto keys = protocol::decode_keys_answer(servers[server].dump());
  if (!keys)
    return status::invalid("keys", "the pinned keys " + pin_file_.string() + " are unreadable");
  return keys;
}

status key_pins::save_pins(const std::string& server,
                           const std::vector<protocol::public_jwk>& keys) const {
  auto pins = load_pins();
  if (!pins)
    return pins.error();
  (*pins)["servers"][server] = nlohmann::json::parse(protocol::encode_keys_answer(keys));
  std::error_code ec;
  std::filesystem::create_directories(state_dir_, ec);
  const auto temp = pin_file_.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return status::unavailable("cannot write " + temp);
  const std::string text = pins->dump(2) + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(temp.c_str(), pin_file_.c_str()) != 0)
    return status::unavailable("cannot write " + pin_file_.string());
  return {};
}

status key_pins::check(const protocol::lease& l, const std::string& client_id,
                       const std::string& server, const keys_fetcher& fetch) {
  auto keys = trusted(server);
  if (!keys)
    return keys.error();
  if (keys->empty() && !trusted_keys_file_) {
    // First use: pin what the server publishes now.
    auto fetched = fetch();
    if (!fetched)
      return refused("cannot read the server's keys to pin them: " + fetched.error().message());
    if (fetched->empty())
      return refused("the server publishes no keys");
    if (auto s = save_pins(server, *fetched); !s)
      return s;
    spdlog::info("pinned the {} signing key(s) of {} in {}", fetched->size(), server,
                 pin_file_.string());
    keys = std::move(fetched);
  }
  auto checked = check_lease_token(l, client_id, *keys);
  if (checked || trusted_keys_file_ || !l.token)
    return checked;
  auto parsed = protocol::parse_lease_token(*l.token);
  if (!parsed || has_kid(*keys, parsed->kid))
    return checked;  // a known key that does not verify: nothing to follow
  // A key not pinned: follow a rotation if the server still publishes a pinned key.
  auto fetched = fetch();
  if (!fetched)
    return checked;
  const bool continuous = std::any_of(fetched->begin(), fetched->end(),
                                      [&](const auto& k) { return has_kid(*keys, k.kid); });
  if (!continuous || !has_kid(*fetched, parsed->kid))
    return refused("signed by key " + parsed->kid +
                   ", which is not pinned, by a server whose keys share none with the pinned ones");
  std::vector<protocol::public_jwk> merged = *fetched;
  for (const auto& k : *keys) {
    if (!has_kid(merged, k.kid))
      merged.push_back(k);
  }
  auto again = check_lease_token(l, client_id, merged);
  if (!again)
    return again;
  if (auto s = save_pins(server, merged); !s)
    return s;
  spdlog::info("the server rotated its signing key: pinned {} beside the earlier key(s)",
               parsed->kid);
  return {};
}

}  // namespace vgls::agent
