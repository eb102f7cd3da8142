#include "protocol/event.h"

#include <catch2/catch.hpp>

using namespace vgls::protocol;

TEST_CASE("every SPEC event type is known") {
  for (const char* type : {"lease.granted", "lease.renewed", "lease.released", "lease.expired",
                           "lease.revoked", "lease.denied", "pool.created", "pool.updated",
                           "pool.deleted", "server.started", "clock.rollback"}) {
    CAPTURE(type);
    CHECK(is_event_type(type));
  }
}

TEST_CASE("other spellings are not event types") {
  for (const char* type :
       {"", "lease", "lease.", "Lease.Granted", "lease.granted ", "pool.*", "lease_granted"}) {
    CAPTURE(type);
    CHECK_FALSE(is_event_type(type));
  }
}
