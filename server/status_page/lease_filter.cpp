#include "server/status_page/lease_filter.h"

#include "protocol/percent_encoding.h"

namespace vgls::server {
namespace {

// Longer values cannot match anything real (client ids are at most 128 bytes, hostnames 253)
// and are not worth carrying around in links.
constexpr std::size_t max_filter_value_bytes = 256;

std::optional<std::string> text_param(const protocol::query_params& params, const char* name,
                                      std::vector<std::string>& problems) {
  const auto it = params.find(name);
  if (it == params.end() || it->second.empty())
    return std::nullopt;
  if (it->second.size() > max_filter_value_bytes) {
    problems.push_back(std::string(name) + ": longer than 256 bytes, ignored");
    return std::nullopt;
  }
  return it->second;
}

}  // namespace

lease_filter parse_lease_filter(const protocol::query_params& params,
                                std::vector<std::string>& problems) {
  lease_filter filter;
  filter.pool = text_param(params, "pool", problems);
  filter.client = text_param(params, "client", problems);
  filter.hostname = text_param(params, "hostname", problems);
  filter.after = text_param(params, "after", problems);
  if (auto edition = text_param(params, "edition", problems)) {
    filter.edition = protocol::parse_edition(*edition);
    if (!filter.edition)
      problems.push_back("edition: unknown edition \"" + *edition + "\", ignored");
  }
  return filter;
}

protocol::lease_query to_lease_query(const lease_filter& filter, int limit) {
  protocol::lease_query query;
  query.pool_id = filter.pool;
  query.edition = filter.edition;
  query.client_id = filter.client;
  query.hostname_prefix = filter.hostname;
  query.after = filter.after;
  query.limit = limit;
  return query;
}

std::string filter_link(const lease_filter& filter, const std::optional<std::string>& after) {
  std::string query;
  auto add = [&query](std::string_view name, std::string_view value) {
    query += query.empty() ? '?' : '&';
    query += name;
    query += '=';
    query += protocol::percent_encode(value);
  };
  if (filter.pool)
    add("pool", *filter.pool);
  if (filter.edition)
    add("edition", protocol::to_string(*filter.edition));
  if (filter.client)
    add("client", *filter.client);
  if (filter.hostname)
    add("hostname", *filter.hostname);
  if (after)
    add("after", *after);
  return "/" + query + "#leases";
}

}  // namespace vgls::server
