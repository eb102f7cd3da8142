#include "server/routes/pools.h"

#include "protocol/answer_codec.h"
#include "protocol/query_codec.h"
#include "protocol/request_codec.h"
#include "protocol/validation.h"
#include "server/app/await_store.h"
#include "server/app/server_log.h"
#include "server/http/responses.h"

namespace vgls::server {
namespace {

// A path segment that is not a pool id names no pool; the store is not asked.
protocol::status pool_not_found(const std::string& id) {
  return protocol::status::error(
      protocol::error_code::pool_not_found,
      protocol::is_valid_pool_id(id) ? "no pool \"" + id + "\"" : "no such pool");
}

}  // namespace

boost::asio::awaitable<outgoing_response> handle_list_pools(const request_context& context,
                                                            services& deps) {
  auto pools = co_await await_store<std::vector<protocol::pool_view>>(
      [&](auto done) { deps.store.list_pools(std::move(done)); });
  if (!pools)
    co_return failure(context, pools.error());
  co_return json_response(200, protocol::encode_pools_answer(*pools));
}

boost::asio::awaitable<outgoing_response> handle_create_pool(const request_context& context,
                                                             services& deps) {
  auto request = protocol::decode_pool_create_request(context.request->body);
  if (!request)
    co_return failure(context, request.error());
  auto pool = co_await await_store<protocol::pool_view>([&](auto done) {
    deps.store.create_pool(std::move(*request), actor_of(context), std::move(done));
  });
  if (!pool)
    co_return failure(context, pool.error());
  log_notice("pool {} added by {}: {} seats of {}", pool->pool.id, actor_of(context),
             pool->pool.seats, protocol::to_string(pool->pool.edition));
  co_return json_response(201, protocol::encode_pool_answer(*pool));
}

boost::asio::awaitable<outgoing_response> handle_get_pool(const request_context& context,
                                                          services& deps) {
  if (!protocol::is_valid_pool_id(context.path_id)) {
    co_return failure(context, pool_not_found(context.path_id));
  }
  auto pool = co_await await_store<protocol::pool_view>(
      [&](auto done) { deps.store.get_pool(context.path_id, std::move(done)); });
  if (!pool)
    co_return failure(context, pool.error());
  co_return json_response(200, protocol::encode_pool_answer(*pool));
}

boost::asio::awaitable<outgoing_response> handle_update_pool(const request_context& context,
                                                             services& deps) {
  // The body is checked before the pool is looked up (SPEC order: body 400, then the operation).
  auto patch = protocol::decode_pool_patch_request(context.request->body);
  if (!patch)
    co_return failure(context, patch.error());
  if (!protocol::is_valid_pool_id(context.path_id)) {
    co_return failure(context, pool_not_found(context.path_id));
  }
  auto pool = co_await await_store<protocol::pool_view>([&](auto done) {
    deps.store.update_pool(context.path_id, std::move(*patch), actor_of(context), std::move(done));
  });
  if (!pool)
    co_return failure(context, pool.error());
  log_notice("pool {} changed by {}: now {} seats of {}", pool->pool.id, actor_of(context),
             pool->pool.seats, protocol::to_string(pool->pool.edition));
  co_return json_response(200, protocol::encode_pool_answer(*pool));
}

boost::asio::awaitable<outgoing_response> handle_delete_pool(const request_context& context,
                                                             services& deps) {
  auto force = protocol::decode_force_flag(context.query);
  if (!force)
    co_return failure(context, force.error());
  if (!protocol::is_valid_pool_id(context.path_id)) {
    co_return failure(context, pool_not_found(context.path_id));
  }
  auto deleted = co_await await_store<storage::done>([&](auto done) {
    deps.store.delete_pool(context.path_id, *force, actor_of(context), std::move(done));
  });
  if (!deleted)
    co_return failure(context, deleted.error());
  log_notice("pool {} removed by {}{}", context.path_id, actor_of(context),
             *force ? ", its leases with it (force)" : "");
  co_return no_content();
}

}  // namespace vgls::server
