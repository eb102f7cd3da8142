#include "server/routes/health.h"

#include "server/app/await_store.h"
#include "server/http/responses.h"

namespace vgls::server {

boost::asio::awaitable<outgoing_response> handle_health(const request_context& context,
                                                        services& deps) {
  // A round trip through the store's thread: proves it is alive and answering, not just that the
  // process is.
  auto facts = co_await await_store<storage::store_facts>(
      [&](auto done) { deps.store.facts(std::move(done)); });
  if (!facts) {
    co_return failure(context, protocol::status::unavailable("storage is not answering: " +
                                                             facts.error().message()));
  }
  co_return json_response(200, R"({"status":"ok"})");
}

}  // namespace vgls::server
