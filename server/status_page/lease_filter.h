// The lease table's filter and page cursor, read from the status page's query parameters
// (`/?pool=&edition=&client=&hostname=&after=`), and the links that keep them while paging.
// Pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/edition.h"
#include "protocol/query_codec.h"
#include "protocol/requests.h"

namespace vgls::server {

struct lease_filter {
  std::optional<std::string> pool;
  std::optional<protocol::edition> edition;  // granted
  std::optional<std::string> client;
  std::optional<std::string> hostname;  // prefix
  std::optional<std::string> after;     // cursor of the page to show

  bool any() const { return pool || edition || client || hostname; }
};

// Empty parameters count as absent. A parameter that cannot be used (an unknown edition, an
// over-long value) is left out and explained in `problems`, so the page still renders.
lease_filter parse_lease_filter(const protocol::query_params& params,
                                std::vector<std::string>& problems);

// The store query for one page of `limit` leases.
protocol::lease_query to_lease_query(const lease_filter& filter, int limit);

// "/?pool=a&edition=vWS&after=…": the page with this filter, at `after` (none: the first page).
// The result is a URL, not yet HTML-escaped.
std::string filter_link(const lease_filter& filter, const std::optional<std::string>& after);

}  // namespace vgls::server
