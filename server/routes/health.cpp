#include "server/routes/health.h"

#include <nlohmann/json.hpp>

#include "server/app/await_store.h"
#include "server/app/standby_answer.h"
#include "server/http/responses.h"

namespace vgls::server {

namespace {

std::string healthy_body(storage::node_role role) {
  // In the order SPEC §7 writes it: status, then role.
  return nlohmann::ordered_json{{"status", "ok"}, {"role", role_name(role)}}.dump();
}

// Whether this node's storage answers and can commit; the answer to send when not.
boost::asio::awaitable<std::optional<outgoing_response>> storage_trouble(
    const request_context& context, services& deps, const storage::node_status& node) {
  if (node.role == storage::node_role::standby) {
    // A standby holds no state; it is healthy while it reaches the database and waits.
    if (!node.problem.empty()) {
      co_return failure(context,
                        protocol::status::unavailable("storage is not answering: " + node.problem));
    }
    co_return std::nullopt;
  }
  // A round trip through the store's thread: proves it is alive and answering, not just that the
  // process is.
  auto facts = co_await await_store<storage::store_facts>(
      [&](auto done) { deps.store.facts(std::move(done)); });
  if (!facts) {
    co_return failure(context, protocol::status::unavailable("storage is not answering: " +
                                                             facts.error().message()));
  }
  // A failed commit flips health until the next good one (a full disk, a lost database).
  const auto now = deps.store.node();
  if (!now.can_commit) {
    co_return failure(context,
                      protocol::status::unavailable("storage cannot commit: " + now.problem));
  }
  co_return std::nullopt;
}

}  // namespace

boost::asio::awaitable<outgoing_response> handle_health(const request_context& context,
                                                        services& deps) {
  const auto node = deps.store.node();
  if (auto trouble = co_await storage_trouble(context, deps, node)) {
    co_return std::move(*trouble);
  }
  co_return json_response(200, healthy_body(node.role));
}

boost::asio::awaitable<outgoing_response> handle_health_active(const request_context& context,
                                                               services& deps) {
  const auto node = deps.store.node();
  if (node.role == storage::node_role::standby) {
    co_return standby_answer(node, false);
  }
  if (auto trouble = co_await storage_trouble(context, deps, node)) {
    co_return std::move(*trouble);
  }
  co_return json_response(200, healthy_body(node.role));
}

}  // namespace vgls::server
