#include "server/status_page/held_longest.h"

#include <algorithm>

#include "server/status_page/html_escape.h"
#include "server/status_page/page_format.h"

namespace vgls::server {

protocol::lease_query held_longest_query() {
  protocol::lease_query query;
  query.limit = held_longest_count;
  return query;
}

std::vector<protocol::lease> held_longest(std::vector<protocol::lease> leases) {
  // Issue order is issued_at order; sorting again costs nothing for ten rows and keeps the
  // promise even for leases carried over from another installation.
  std::stable_sort(leases.begin(), leases.end(),
                   [](const auto& a, const auto& b) { return a.issued_at < b.issued_at; });
  if (leases.size() > static_cast<std::size_t>(held_longest_count))
    leases.resize(static_cast<std::size_t>(held_longest_count));
  return leases;
}

std::string render_held_longest(const std::vector<protocol::lease>& leases,
                                const std::string& error, std::int64_t active,
                                protocol::unix_seconds now) {
  std::string html = "<section id=\"held-longest\"><h2>Held longest <small>";
  html += active > held_longest_count
              ? "the " + std::to_string(held_longest_count) + " oldest of " +
                    std::to_string(active) + " active leases"
              : std::string("oldest first");
  html += "</small></h2>";
  if (!error.empty()) {
    html += "<p class=\"problems\">Leases cannot be shown: ";
    append_html_escaped(html, error);
    return html + "</p></section>";
  }
  if (leases.empty())
    return html + "<p class=\"muted\">No active leases.</p></section>";
  html +=
      "<div class=\"scroll\"><table><thead><tr><th>Client</th><th>Hostname</th>"
      "<th class=\"opt\">Pool</th><th class=\"num\">Held</th><th class=\"opt\">Issued</th>"
      "<th>Renewed</th><th class=\"opt\">Lease</th></tr></thead><tbody>";
  for (const auto& lease : leases) {
    const std::int64_t held = std::max<std::int64_t>(0, now - lease.issued_at);
    html += "<tr data-lease-id=\"";
    append_html_escaped(html, lease.id);
    html += "\" data-held-seconds=\"" + std::to_string(held) + "\">";
    html += cell(lease.client_id, "id");
    html += cell(lease.hostname.value_or(""), "id");
    html += cell(lease.pool_id, "opt");
    html += "<td class=\"num held\">" + format_span(held) + "</td>";
    html += cell(format_time(lease.issued_at), "opt");
    html += renewed_cell(lease.issued_at, lease.renewed_at, now);
    html += "<td class=\"opt\"><code>";
    append_html_escaped(html, lease.id);
    html += "</code></td></tr>";
  }
  html +=
      "</tbody></table></div><p class=\"muted\">A lease renewed recently belongs to a VM that "
      "still runs its agent; one held for weeks may be a desktop nobody uses. Revoke it with "
      "<code>vglsctl lease revoke ID</code>.</p></section>";
  return html;
}

}  // namespace vgls::server
