// The license store: pools, leases, events and usage, behind an interface with no database types,
// so that SQLite (now) and PostgreSQL (later) serve the same server.
//
// Contract (SPEC §1): every operation is one transaction that keeps the seat rules; time is the
// store's own clock, never the client's; a lease is active iff not released/revoked and
// now < min(lease.expires_at, pool.expires_at). An operation's callback runs only after its effect
// is durable (or after it failed and changed nothing).
//
// Threading: every method may be called from any thread. Callbacks run on the store's own thread;
// they must be quick and must not call back into the store synchronously. Post the result to
// your own executor instead.
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
  std::string backend;  // "sqlite"
  protocol::unix_seconds time = 0;
  protocol::unix_seconds clock_high_water = 0;
  bool clock_rollback = false;
  std::int64_t leases_active = 0;
  std::int64_t pools = 0;
  std::int64_t leases_expired_total = 0;  // since this process started
  // The newest event's id (0 when there is none): `after = last_event_id - n` reads the latest n.
  std::int64_t last_event_id = 0;
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
  virtual void release(std::string lease_id, release_kind kind, callback<done> on_done) = 0;
  virtual void get_lease(std::string lease_id, callback<protocol::lease> on_done) = 0;

  // Admin operations.
  virtual void list_pools(callback<std::vector<protocol::pool_view>> on_done) = 0;
  virtual void get_pool(std::string pool_id, callback<protocol::pool_view> on_done) = 0;
  virtual void create_pool(protocol::pool_create_request request,
                           callback<protocol::pool_view> on_done) = 0;
  virtual void update_pool(std::string pool_id, protocol::pool_patch_request patch,
                           callback<protocol::pool_view> on_done) = 0;
  virtual void delete_pool(std::string pool_id, bool force, callback<done> on_done) = 0;
  virtual void list_leases(protocol::lease_query query, callback<protocol::lease_page> on_done) = 0;
  virtual void list_events(protocol::event_query query, callback<protocol::event_page> on_done) = 0;
  virtual void usage(protocol::usage_query query,
                     callback<std::vector<protocol::usage_bucket>> on_done) = 0;
  virtual void facts(callback<store_facts> on_done) = 0;

  // The store's effective time (never below the persisted high-water mark). Thread-safe, no I/O.
  virtual protocol::unix_seconds now() const = 0;

  // Finishes what is queued, flushes, and stops the store's thread. Later calls answer unavailable.
  virtual void close() = 0;

 protected:
  store() = default;
};

}  // namespace vgls::storage
