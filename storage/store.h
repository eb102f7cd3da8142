// The license store: pools, leases, events, usage, access tokens and signing keys, behind an
// interface with no database types, so that SQLite and PostgreSQL serve the same server.
//
// Contract (SPEC §1): every operation is one transaction that keeps the seat rules; time is the
// store's own clock, never the client's; a lease is active iff not released/revoked and
// now < min(lease.expires_at, pool.expires_at). An operation's callback runs only after its effect
// is durable (or after it failed and changed nothing). Operations of the admin routes take the
// `actor` (the name of the token that asked), which the events they cause record.
//
// Threading: every method may be called from any thread. Callbacks run on one of the store's own
// threads; they must be quick and must not call back into the store synchronously. Post the
// result to your own executor instead. After `close()`, every call is answered `unavailable` at
// once, on the caller's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/event.h"
#include "protocol/lease.h"
#include "protocol/pool.h"
#include "protocol/requests.h"
#include "protocol/role.h"
#include "protocol/status.h"
#include "protocol/usage.h"

namespace vgls::storage {

template <class T>
using callback = std::function<void(protocol::result<T>)>;

// Nothing to return but success.
struct done {};

struct checkout_outcome {
  protocol::lease lease;
  bool created = false;  // 201 when true, 200 when an existing lease was renewed (rule 4)
};

enum class release_kind { released, revoked };

// Facts for GET /v1/server, /metrics and the status page.
struct store_facts {
  std::string backend;  // "sqlite" or "postgres"
  protocol::unix_seconds time = 0;
  protocol::unix_seconds clock_high_water = 0;
  bool clock_rollback = false;
  std::int64_t leases_active = 0;
  std::int64_t pools = 0;
  std::int64_t leases_expired_total = 0;  // since this process started
  // The newest event's id (0 when there is none): `after = last_event_id - n` reads the latest n.
  std::int64_t last_event_id = 0;
  // The installation's first start: usage before it is not worth showing.
  protocol::unix_seconds installed_at = 0;
};

// An access token (SPEC §9). The store keeps only the SHA-256 of its secret.
struct token_record {
  std::string name;
  protocol::role role = protocol::role::viewer;
  std::string secret_sha256_hex;
  protocol::unix_seconds created_at = 0;
  std::optional<protocol::unix_seconds> last_used_at;
};

// An Ed25519 signing key (SPEC §8), as PKCS#8 PEM. The newest key without `retired_at` signs.
struct signing_key_record {
  std::string kid;
  std::string private_key_pem;
  protocol::unix_seconds created_at = 0;
  std::optional<protocol::unix_seconds> retired_at;       // no longer signs from then on
  std::optional<protocol::unix_seconds> published_until;  // leaves the JWKS after this
};

// What the server checks credentials and signs leases with; replaced, never changed, after every
// change of tokens or keys and whenever the store (re)loads its state.
struct credentials {
  std::string installation_id;  // made on the installation's first start; `iss` of lease tokens
  std::vector<token_record> tokens;
  std::vector<signing_key_record> keys;  // oldest first
};

// Whether this store can take writes (SPEC §7 roles; a SQLite store is always `single`).
enum class node_role { single, active, standby };

struct node_status {
  node_role role = node_role::single;
  // Whether the last attempt to commit succeeded: false from a failed batch to the next good one.
  bool can_commit = true;
  std::string problem;  // why not, for /healthz; empty when all is well
  // How clients reach the active node, when known (a standby names it in its answers).
  std::optional<std::string> active_node_url;
  std::optional<protocol::unix_seconds> active_since;  // when this node became active
  std::int64_t takeovers = 0;                          // times this node became active
};

class store {
 public:
  virtual ~store() = default;
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  // Client operations.
  virtual void checkout(protocol::checkout_request request, callback<checkout_outcome> on_done) = 0;
  virtual void renew(std::string lease_id, protocol::renew_request request,
                     callback<protocol::lease> on_done) = 0;
  // `actor` names who revoked (release_kind::revoked); ignored for a client's release.
  virtual void release(std::string lease_id, release_kind kind, std::string actor,
                       callback<done> on_done) = 0;
  virtual void get_lease(std::string lease_id, callback<protocol::lease> on_done) = 0;

  // Admin operations.
  virtual void list_pools(callback<std::vector<protocol::pool_view>> on_done) = 0;
  virtual void get_pool(std::string pool_id, callback<protocol::pool_view> on_done) = 0;
  virtual void create_pool(protocol::pool_create_request request, std::string actor,
                           callback<protocol::pool_view> on_done) = 0;
  virtual void update_pool(std::string pool_id, protocol::pool_patch_request patch,
                           std::string actor, callback<protocol::pool_view> on_done) = 0;
  virtual void delete_pool(std::string pool_id, bool force, std::string actor,
                           callback<done> on_done) = 0;
  virtual void list_leases(protocol::lease_query query, callback<protocol::lease_page> on_done) = 0;
  virtual void list_events(protocol::event_query query, callback<protocol::event_page> on_done) = 0;
  virtual void usage(protocol::usage_query query,
                     callback<std::vector<protocol::usage_bucket>> on_done) = 0;
  virtual void facts(callback<store_facts> on_done) = 0;

  // Tokens and signing keys. Errors: token_exists, token_not_found.
  virtual void create_token(token_record record, std::string actor,
                            callback<token_record> on_done) = 0;
  virtual void delete_token(std::string name, std::string actor, callback<done> on_done) = 0;
  // Creates or replaces the token of that name (the admin token at start).
  virtual void put_token(token_record record, std::string actor, callback<done> on_done) = 0;
  // Notes that a token was used at `at`; written with a later batch, nothing to wait for.
  virtual void record_token_use(std::string name, protocol::unix_seconds at) = 0;
  // Adds `key` as the signing key: the current one is retired now and stays published until
  // every token it signed has expired (now + leases.duration).
  virtual void add_signing_key(signing_key_record key, std::string actor,
                               callback<done> on_done) = 0;
  // Thread-safe, no I/O. Never null; empty (no installation id) on a standby.
  virtual std::shared_ptr<const credentials> current_credentials() const = 0;

  // The store's effective time (never below the persisted high-water mark). Thread-safe, no I/O.
  virtual protocol::unix_seconds now() const = 0;

  // This node's role and health. Thread-safe, no I/O.
  virtual node_status node() const = 0;
  // The role alone, without a lock: for every request's standby check.
  virtual node_role role() const = 0;

  // Finishes what is queued, flushes, and stops the store's threads. Later calls answer
  // unavailable.
  virtual void close() = 0;

 protected:
  store() = default;
};

}  // namespace vgls::storage
