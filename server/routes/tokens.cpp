#include "server/routes/tokens.h"

#include <openssl/rand.h>

#include <array>

#include "protocol/token_codec.h"
#include "server/app/await_store.h"
#include "server/app/server_log.h"
#include "server/http/auth.h"
#include "server/http/responses.h"

namespace vgls::server {
namespace {

// 32 bytes from the CSPRNG as 64 hex digits, like the generated admin token.
std::optional<std::string> new_secret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    return std::nullopt;
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out += hex[b >> 4];
    out += hex[b & 0xf];
  }
  return out;
}

}  // namespace

boost::asio::awaitable<outgoing_response> handle_create_token(const request_context& context,
                                                              services& deps) {
  auto request = protocol::decode_token_create_request(context.request->body);
  if (!request)
    co_return failure(context, request.error());
  auto secret = new_secret();
  if (!secret)
    co_return failure(context, protocol::status::internal("the random number generator failed"));
  storage::token_record record;
  record.name = request->name;
  record.role = request->role;
  record.secret_sha256_hex = secret_sha256_hex(*secret);
  auto created = co_await await_store<storage::token_record>([&](auto done) {
    deps.store.create_token(std::move(record), actor_of(context), std::move(done));
  });
  if (!created)
    co_return failure(context, created.error());
  log_notice("token {} ({}) added by {}", created->name, protocol::to_string(created->role),
             actor_of(context));
  protocol::token_info info{created->name, created->role, created->created_at, std::nullopt,
                            std::move(*secret)};
  co_return json_response(201, protocol::encode_token_answer(info));
}

boost::asio::awaitable<outgoing_response> handle_list_tokens(const request_context& /*context*/,
                                                             services& deps) {
  // The published credentials are the store's tokens as of its last batch: no round trip.
  const auto credentials = deps.store.current_credentials();
  std::vector<protocol::token_info> tokens;
  for (const auto& t : credentials->tokens) {
    tokens.push_back({t.name, t.role, t.created_at, t.last_used_at, std::nullopt});
  }
  co_return json_response(200, protocol::encode_tokens_answer(tokens));
}

boost::asio::awaitable<outgoing_response> handle_delete_token(const request_context& context,
                                                              services& deps) {
  if (context.path_id == "admin") {
    co_return failure(context, protocol::status::invalid(
                                   "name",
                                   "name: the admin token cannot be removed; replace it through "
                                   "server.admin_token_file"));
  }
  auto deleted = co_await await_store<storage::done>([&](auto done) {
    deps.store.delete_token(context.path_id, actor_of(context), std::move(done));
  });
  if (!deleted)
    co_return failure(context, deleted.error());
  log_notice("token {} removed by {}; requests with it are refused from now on", context.path_id,
             actor_of(context));
  co_return no_content();
}

}  // namespace vgls::server
