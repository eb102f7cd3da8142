#include "server/routes/server_info.h"

#include "protocol/answer_codec.h"
#include "protocol/server_info.h"
#include "server/app/await_store.h"
#include "server/app/standby_answer.h"
#include "server/http/responses.h"

namespace vgls::server {

boost::asio::awaitable<outgoing_response> handle_server_info(const request_context& context,
                                                             services& deps) {
  auto facts = co_await await_store<storage::store_facts>(
      [&](auto done) { deps.store.facts(std::move(done)); });
  if (!facts)
    co_return failure(context, facts.error());
  protocol::server_info info;
  info.version = VGLS_VERSION;
  info.uptime_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::steady_clock::now() - deps.started_at)
                            .count();
  info.storage_backend = facts->backend;
  info.time = facts->time;
  info.clock_high_water = facts->clock_high_water;
  info.clock_rollback = facts->clock_rollback;
  info.leases_active = facts->leases_active;
  info.pools = facts->pools;
  const auto node = deps.store.node();
  info.node_role = std::string(role_name(node.role));
  if (node.role != storage::node_role::single) {
    info.advertise_url = deps.config.effective_advertise_url();
  }
  info.active_since = node.active_since;
  co_return json_response(200, protocol::encode_server_answer(info));
}

}  // namespace vgls::server
