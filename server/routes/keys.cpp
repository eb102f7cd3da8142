#include "server/routes/keys.h"

#include <spdlog/spdlog.h>

#include "protocol/lease_token.h"
#include "server/app/await_store.h"
#include "server/app/server_log.h"
#include "server/http/responses.h"
#include "server/signing/signing_key.h"

namespace vgls::server {

boost::asio::awaitable<outgoing_response> handle_list_keys(const request_context& /*context*/,
                                                           services& deps) {
  co_return json_response(200, protocol::encode_keys_answer(deps.signer.published_keys()));
}

boost::asio::awaitable<outgoing_response> handle_rotate_key(const request_context& context,
                                                            services& deps) {
  if (deps.signer.key_from_file()) {
    co_return failure(context,
                      protocol::status::invalid(
                          {},
                          "the signing key comes from server.signing_key_file: replace that "
                          "file and restart vglsd to rotate it"));
  }
  auto key = signing_key::generate();
  if (!key)
    co_return failure(context, key.error());
  storage::signing_key_record record;
  record.kid = key->kid();
  record.private_key_pem = key->private_pem();
  auto added = co_await await_store<storage::done>([&](auto done) {
    deps.store.add_signing_key(std::move(record), actor_of(context), std::move(done));
  });
  if (!added)
    co_return failure(context, added.error());
  log_notice("signing key rotated by {}: new key {}", actor_of(context), key->kid());
  co_return json_response(200, protocol::encode_keys_answer(deps.signer.published_keys()));
}

}  // namespace vgls::server
