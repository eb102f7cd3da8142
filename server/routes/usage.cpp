#include "server/routes/usage.h"

#include "protocol/answer_codec.h"
#include "protocol/query_codec.h"
#include "server/app/await_store.h"
#include "server/http/responses.h"

namespace vgls::server {

boost::asio::awaitable<outgoing_response> handle_usage(const request_context& context,
                                                       services& deps) {
  auto query = protocol::decode_usage_query(context.query, deps.store.now());
  if (!query)
    co_return failure(context, query.error());
  auto buckets = co_await await_store<std::vector<protocol::usage_bucket>>(
      [&](auto done) { deps.store.usage(std::move(*query), std::move(done)); });
  if (!buckets)
    co_return failure(context, buckets.error());
  co_return json_response(200, protocol::encode_usage_answer(*buckets));
}

}  // namespace vgls::server
