// The usage report: per bucket and edition, peak concurrency, seats, grants and denials
// (SPEC §2 /v1/usage). What a license true-up needs.
#pragma once

#include <cstdint>

#include "protocol/edition.h"
#include "protocol/time.h"

namespace vgls::protocol {

struct usage_bucket {
  unix_seconds start = 0;
  protocol::edition edition = protocol::edition::vapp;
  std::int64_t peak_used = 0;  // most leases of this granted edition held at once in the bucket
  std::int64_t seats = 0;      // seats of this edition in active pools at the bucket's end
  std::int64_t granted = 0;    // by granted edition
  std::int64_t denied = 0;     // by requested edition
};

}  // namespace vgls::protocol
