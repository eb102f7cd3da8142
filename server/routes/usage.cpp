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
  // The answer is encoded where the store hands the report over (its reader thread), not on
  // this io thread: a report of all time is some 83,000 rows and megabytes of JSON, and the io
  // thread also serves the checkouts of every other connection it holds.
  auto encoded = co_await await_store<std::string>([&](auto done) {
    deps.store.usage(std::move(*query),
                     [done = std::move(done)](
                         protocol::result<std::vector<protocol::usage_bucket>> buckets) mutable {
                       if (!buckets) {
                         done(buckets.error());
                         return;
                       }
                       done(protocol::encode_usage_answer(*buckets));
                     });
  });
  if (!encoded)
    co_return failure(context, encoded.error());
  co_return json_response(200, std::move(*encoded));
}

}  // namespace vgls::server
