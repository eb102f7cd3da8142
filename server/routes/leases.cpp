#include "server/routes/leases.h"

#include "protocol/answer_codec.h"
#include "protocol/query_codec.h"
#include "protocol/request_codec.h"
#include "protocol/validation.h"
#include "server/app/await_store.h"
#include "server/app/server_log.h"
#include "server/http/responses.h"

namespace vgls::server {
namespace {

using protocol::error_code;

// An id that vgls could never have issued names no active lease; the store is not asked.
protocol::status lease_not_found() {
  return protocol::status::error(error_code::lease_not_found, "no active lease with that id");
}

void count_checkout(metrics& m, protocol::edition requested, error_code code) {
  switch (code) {
    case error_code::no_seat_available:
      m.count_checkout(requested, checkout_result::no_seat_available);
      break;
    case error_code::license_expired:
      m.count_checkout(requested, checkout_result::license_expired);
      break;
    case error_code::no_pool_for_edition:
      m.count_checkout(requested, checkout_result::no_pool_for_edition);
      break;
    default:
      break;
  }
}

}  // namespace

boost::asio::awaitable<outgoing_response> handle_checkout(const request_context& context,
                                                          services& deps) {
  auto request = protocol::decode_checkout_request(context.request->body);
  if (!request)
    co_return failure(context, request.error());
  const auto requested = request->requested_edition;
  auto outcome = co_await await_store<storage::checkout_outcome>(
      [&](auto done) { deps.store.checkout(std::move(*request), std::move(done)); });
  if (!outcome) {
    count_checkout(deps.metrics, requested, outcome.error().code());
    co_return failure(context, outcome.error());
  }
  deps.metrics.count_checkout(
      requested, outcome->created ? checkout_result::granted : checkout_result::existing);
  deps.signer.sign(outcome->lease);
  co_return json_response(outcome->created ? 201 : 200,
                          protocol::encode_lease_answer(outcome->lease));
}

boost::asio::awaitable<outgoing_response> handle_renew(const request_context& context,
                                                       services& deps) {
  // The body is checked before the lease is looked up (SPEC order: body 400, then the operation).
  auto request = protocol::decode_renew_request(context.request->body);
  if (!request)
    co_return failure(context, request.error());
  if (!protocol::is_valid_lease_id(context.path_id))
    co_return failure(context, lease_not_found());
  auto lease = co_await await_store<protocol::lease>(
      [&](auto done) { deps.store.renew(context.path_id, std::move(*request), std::move(done)); });
  if (!lease)
    co_return failure(context, lease.error());
  deps.signer.sign(*lease);
  co_return json_response(200, protocol::encode_lease_answer(*lease));
}

boost::asio::awaitable<outgoing_response> handle_release(const request_context& context,
                                                         services& deps) {
  if (!protocol::is_valid_lease_id(context.path_id))
    co_return failure(context, lease_not_found());
  // A token that may revoke makes this a revoke (SPEC §2); anyone else releases.
  const auto kind = context.who.reaches(protocol::role::operator_)
                        ? storage::release_kind::revoked
                        : storage::release_kind::released;
  auto released = co_await await_store<storage::done>([&](auto done) {
    deps.store.release(context.path_id, kind, actor_of(context), std::move(done));
  });
  if (!released)
    co_return failure(context, released.error());
  if (kind == storage::release_kind::revoked)
    log_notice("lease {} revoked by {}; its client must check out again", context.path_id,
               actor_of(context));
  co_return no_content();
}

boost::asio::awaitable<outgoing_response> handle_get_lease(const request_context& context,
                                                           services& deps) {
  if (!protocol::is_valid_lease_id(context.path_id))
    co_return failure(context, lease_not_found());
  auto lease = co_await await_store<protocol::lease>(
      [&](auto done) { deps.store.get_lease(context.path_id, std::move(done)); });
  if (!lease)
    co_return failure(context, lease.error());
  deps.signer.sign(*lease);
  co_return json_response(200, protocol::encode_lease_answer(*lease));
}

boost::asio::awaitable<outgoing_response> handle_list_leases(const request_context& context,
                                                             services& deps) {
  auto query = protocol::decode_lease_query(context.query);
  if (!query)
    co_return failure(context, query.error());
  auto page = co_await await_store<protocol::lease_page>(
      [&](auto done) { deps.store.list_leases(std::move(*query), std::move(done)); });
  if (!page)
    co_return failure(context, page.error());
  co_return json_response(200, protocol::encode_lease_page(*page));
}

}  // namespace vgls::server
