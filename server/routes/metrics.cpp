#include "server/routes/metrics.h"

#include "server/app/await_store.h"
#include "server/http/responses.h"
#include "server/metrics/node_metrics.h"
#include "server/metrics/signing_metrics.h"

namespace vgls::server {

boost::asio::awaitable<outgoing_response> handle_metrics(const request_context& context,
                                                         services& deps) {
  const auto node = deps.store.node();
  outgoing_response response;
  response.status = 200;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  // A standby holds no pools: it shows its role only.
  if (node.role != storage::node_role::standby) {
    auto pools = co_await await_store<std::vector<protocol::pool_view>>(
        [&](auto done) { deps.store.list_pools(std::move(done)); });
    if (!pools)
      co_return failure(context, pools.error());
    auto facts = co_await await_store<storage::store_facts>(
        [&](auto done) { deps.store.facts(std::move(done)); });
    if (!facts)
      co_return failure(context, facts.error());
    response.body = deps.metrics.render(*pools, *facts);
  }
  response.body += render_node_metrics(node);
  response.body += render_signing_metrics(deps.signer.reserve());
  co_return response;
}

}  // namespace vgls::server
