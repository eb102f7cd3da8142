// vglsctl key list | rotate, token add | list | rm (SPEC §8, §9).
#include "ctl/commands.h"
#include "ctl/human_format.h"
#include "ctl/text_table.h"
#include "ctl/views.h"

namespace vgls::ctl {
namespace {

nlohmann::json keys_json(const std::vector<protocol::public_jwk>& keys) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& k : keys)
    items.push_back({{"kty", "OKP"}, {"crv", "Ed25519"}, {"kid", k.kid}, {"x", k.x}});
  return {{"keys", std::move(items)}};
}

void print_keys(const output& o, const std::vector<protocol::public_jwk>& keys) {
  text_table table({"KID", "PUBLIC KEY (x)", "USE"});
  bool first = true;
  for (const auto& k : keys) {
    table.add_row({k.kid, k.x, first ? "signs" : "verifies older tokens"});
    first = false;
  }
  table.write(o.out);
}

}  // namespace

exit_code run_key_list(admin_api& api, const output& o) {
  auto keys = api.list_keys();
  if (!keys.is_ok())
    return report_failure(keys.error(), api, o);
  if (o.json)
    print_json(o.out, keys_json(*keys));
  else
    print_keys(o, *keys);
  return exit_code::done;
}

exit_code run_key_rotate(admin_api& api, const output& o) {
  auto keys = api.rotate_key();
  if (!keys.is_ok())
    return report_failure(keys.error(), api, o);
  if (o.json) {
    print_json(o.out, keys_json(*keys));
  } else {
    o.out << "new signing key " << (keys->empty() ? std::string("?") : keys->front().kid)
          << "; older keys stay published until their tokens have expired\n";
    print_keys(o, *keys);
  }
  return exit_code::done;
}

exit_code run_token_add(const token_add_command& command, admin_api& api, const output& o) {
  auto made = api.create_token({command.name, command.role});
  if (!made.is_ok())
    return report_failure(made.error(), api, o);
  if (o.json) {
    print_json(o.out, {{"name", made->name},
                       {"role", std::string(protocol::to_string(made->role))},
                       {"created_at", protocol::format_rfc3339(made->created_at)},
                       {"secret", made->secret.value_or("")}});
  } else {
    o.out << "token " << made->name << " (" << protocol::to_string(made->role)
          << "); its secret, shown only now:\n"
          << made->secret.value_or("") << '\n';
  }
  return exit_code::done;
}

exit_code run_token_list(admin_api& api, const output& o) {
  auto tokens = api.list_tokens();
  if (!tokens.is_ok())
    return report_failure(tokens.error(), api, o);
  if (o.json) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& t : *tokens) {
      items.push_back({{"name", t.name},
                       {"role", std::string(protocol::to_string(t.role))},
                       {"created_at", protocol::format_rfc3339(t.created_at)},
                       {"last_used_at",
                        t.last_used_at ? nlohmann::json(protocol::format_rfc3339(*t.last_used_at))
                                       : nlohmann::json()}});
    }
    print_json(o.out, {{"tokens", std::move(items)}});
    return exit_code::done;
  }
  text_table table({"NAME", "ROLE", "CREATED", "LAST USED"});
  for (const auto& t : *tokens) {
    table.add_row({t.name, std::string(protocol::to_string(t.role)), format_time(t.created_at),
                   t.last_used_at ? format_time(*t.last_used_at) : std::string("never")});
  }
  table.write(o.out);
  return exit_code::done;
}

exit_code run_token_rm(const token_rm_command& command, admin_api& api, const output& o) {
  auto removed = api.delete_token(command.name);
  if (!removed.is_ok())
    return report_failure(removed.error(), api, o);
  if (o.json)
    print_json(o.out, {{"removed", command.name}});
  else
    o.out << "removed token " << command.name << '\n';
  return exit_code::done;
}

}  // namespace vgls::ctl
