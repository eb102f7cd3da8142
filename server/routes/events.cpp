#include "server/routes/events.h"

#include "protocol/answer_codec.h"
#include "protocol/query_codec.h"
#include "server/app/await_store.h"
#include "server/http/responses.h"

namespace vgls::server {

boost::asio::awaitable<outgoing_response> handle_events(const request_context& context,
                                                        services& deps) {
  auto query = protocol::decode_event_query(context.query);
  if (!query)
    co_return failure(context, query.error());
  auto page = co_await await_store<protocol::event_page>(
      [&](auto done) { deps.store.list_events(std::move(*query), std::move(done)); });
  if (!page)
    co_return failure(context, page.error());
  co_return json_response(200, protocol::encode_events_answer(*page));
}

}  // namespace vgls::server
