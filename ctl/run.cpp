#include "ctl/run.h"

#include <type_traits>

#include "client/http_client.h"
#include "ctl/admin_api.h"
#include "ctl/commands.h"

namespace vgls::ctl {

int run(const std::vector<std::string>& args, const environment& env, std::ostream& out,
        std::ostream& err) {
  auto parsed = parse_command_line(args, env);
  if (!parsed.invocation) {
    (parsed.message_is_error ? err : out) << parsed.message;
    return parsed.exit_code;
  }
  const invocation& call = *parsed.invocation;

  // The URL was checked while parsing.
  client::client_options options;
  options.bearer_token = call.token;
  options.ca_file = call.ca_file;
  client::http_client http(*client::parse_server_url(call.server), options);
  admin_api api(http);
  const output o{out, err, call.json, call.unauthorized_hint};

  const exit_code code = std::visit(
      [&](const auto& command) -> exit_code {
        using type = std::decay_t<decltype(command)>;
        if constexpr (std::is_same_v<type, status_command>)
          return run_status(api, o);
        else if constexpr (std::is_same_v<type, pool_list_command>)
          return run_pool_list(api, o);
        else if constexpr (std::is_same_v<type, pool_add_command>)
          return run_pool_add(command, api, o);
        else if constexpr (std::is_same_v<type, pool_set_command>)
          return run_pool_set(command, api, o);
        else if constexpr (std::is_same_v<type, pool_rm_command>)
          return run_pool_rm(command, api, o);
        else if constexpr (std::is_same_v<type, lease_list_command>)
          return run_lease_list(command, api, o);
        else if constexpr (std::is_same_v<type, lease_revoke_command>)
          return run_lease_revoke(command, api, o);
        else if constexpr (std::is_same_v<type, events_command>)
          return run_events(command, api, o);
        else if constexpr (std::is_same_v<type, usage_command>)
          return run_usage(command, api, o);
        else if constexpr (std::is_same_v<type, key_list_command>)
          return run_key_list(api, o);
        else if constexpr (std::is_same_v<type, key_rotate_command>)
          return run_key_rotate(api, o);
        else if constexpr (std::is_same_v<type, token_add_command>)
          return run_token_add(command, api, o);
        else if constexpr (std::is_same_v<type, token_list_command>)
          return run_token_list(api, o);
        else
          return run_token_rm(command, api, o);
      },
      call.command);
  out.flush();
  return to_int(code);
}

}  // namespace vgls::ctl
