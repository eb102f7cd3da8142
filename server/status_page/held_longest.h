// The status page's "Held longest" table: the active leases issued longest ago, with when each
// was issued, last renewed and how long it has been held, to spot seats camped by forgotten VMs
// (SPEC §11 idle seats).
//
// Cheap by construction: the store lists active leases in issue order (its key), and merges the
// pools' issue orders without visiting other leases, so the first page of an unfiltered listing
// of `held_longest_count` leases is the oldest ones, whatever the number of leases. When the
// page's lease table is itself that unfiltered first page, its rows are reused and nothing more is
// read. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/lease.h"
#include "protocol/requests.h"

namespace vgls::server {

inline constexpr int held_longest_count = 10;

// The store query whose page is the oldest active leases.
protocol::lease_query held_longest_query();

// The oldest `held_longest_count` of `leases` (a page in issue order), oldest first.
std::vector<protocol::lease> held_longest(std::vector<protocol::lease> leases);

// <section id="held-longest"> with one `tr[data-lease-id][data-held-seconds]` per lease; `error`
// when the leases could not be read; `active` is the number of active leases (for the heading).
std::string render_held_longest(const std::vector<protocol::lease>& leases,
                                const std::string& error, std::int64_t active,
                                protocol::unix_seconds now);

}  // namespace vgls::server
