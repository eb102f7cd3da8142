#include "server/status_page/status_page_render.h"

#include <algorithm>
#include <array>
#include <utility>

#include "protocol/time.h"
#include "server/status_page/denial_alerts.h"
#include "server/status_page/edition_totals.h"
#include "server/status_page/event_wording.h"
#include "server/status_page/held_longest.h"
#include "server/status_page/html_escape.h"
#include "server/status_page/page_format.h"
#include "server/status_page/status_page_script.h"
#include "server/status_page/status_page_style.h"
#include "server/status_page/usage_chart.h"

namespace vgls::server {
namespace {

void render_header(std::string& html, const status_page_model& model) {
  html += "<header><h1>vgls</h1><div class=\"facts\">";
  html += "<span id=\"version\">version ";
  append_html_escaped(html, model.version);
  html += "</span><span id=\"uptime\">up " + format_span(model.uptime_seconds) + "</span>";
  html += "<span>storage ";
  append_html_escaped(html, model.storage_backend);
  html += "</span><span id=\"server-time\">server time " + format_time(model.now) + "</span>";
  html += "<span id=\"leases-active\">" + std::to_string(model.leases_active) +
          " active leases</span></div></header><main>";
}

void render_denial_alerts(std::string& html, const status_page_model& model) {
  const auto alerts = denial_alerts(model.last_hour, model.pools, model.allow_upgrade);
  if (alerts.empty())
    return;
  html +=
      "<div class=\"alert\" id=\"denial-alerts\"><span>Checkouts were refused in the last "
      "hour:</span><ul>";
  for (const auto& alert : alerts) {
    html += "<li data-edition=\"" + std::string(protocol::to_string(alert.edition)) +
            "\" data-refused=\"" + std::to_string(alert.refused) + "\">";
    append_html_escaped(html, describe(alert));
    html += "</li>";
  }
  html += "</ul></div>";
}

void render_alerts(std::string& html, const status_page_model& model) {
  if (model.clock_rollback) {
    html +=
        "<div class=\"alert\" id=\"clock-warning\">The server's clock went back by more than "
        "5 minutes. Expiry is decided by the highest time seen, " +
        format_time(model.clock_high_water) +
        ", until the clock catches up. Check the host's time synchronisation.</div>";
  }
  render_denial_alerts(html, model);
  std::vector<protocol::pool_view> troubled;
  for (auto& view : sorted_by_urgency(model.pools)) {
    if (urgency_of(view) != pool_urgency::fine)
      troubled.push_back(std::move(view));
  }
  if (troubled.empty())
    return;
  const bool any_bad = std::any_of(troubled.begin(), troubled.end(), [](const auto& view) {
    return urgency_of(view) != pool_urgency::ending_soon;
  });
  html += std::string("<div class=\"alert") + (any_bad ? "" : " soon") +
          "\" id=\"pool-alerts\"><span>" + std::to_string(troubled.size()) +
          (troubled.size() == 1 ? " pool needs" : " pools need") + " attention:</span><ul>";
  for (const auto& view : troubled) {
    html += "<li data-pool-id=\"";
    append_html_escaped(html, view.pool.id);
    html += "\" data-urgency=\"" + std::string(to_string(urgency_of(view))) + "\">";
    append_html_escaped(html, urgency_reason(view));
    html += "</li>";
  }
  html += "</ul></div>";
}

std::string days_left_cell(const protocol::pool_view& view) {
  if (!view.pool.expires_at)
    return "<td class=\"days-left\">never<span class=\"opt\"> expires</span></td>";
  const std::string expiry = format_time(*view.pool.expires_at);
  if (view.state == protocol::pool_state::expired)
    return "<td class=\"days-left warn bad\" title=\"" + expiry + "\">expired " + expiry + "</td>";
  if (view.state == protocol::pool_state::not_started) {
    return "<td class=\"days-left\" title=\"expires " + expiry + "\">starts " +
           format_time(view.pool.starts_at) + "</td>";
  }
  const std::int64_t days = view.days_left.value_or(0);
  const std::string text = std::to_string(days) + (days == 1 ? " day" : " days");
  if (ends_soon(view)) {
    return "<td class=\"days-left warn\" title=\"expires " + expiry + "\">" + text +
           "<span class=\"opt\"> &middot; expires soon</span></td>";
  }
  return "<td class=\"days-left\" title=\"expires " + expiry + "\">" + text + "</td>";
}

std::string use_cell(const protocol::pool_view& view) {
  const std::int64_t seats = view.pool.seats;
  const double share =
      seats > 0 ? std::min(1.0, static_cast<double>(view.used) / static_cast<double>(seats)) : 1.0;
  const int percent = static_cast<int>(share * 100.0 + 0.5);
  std::string bar_class = "bar";
  if (view.used >= seats)
    bar_class += " full";
  else if (percent >= 90)
    bar_class += " high";
  return "<td class=\"use\"><span class=\"" + bar_class + "\" title=\"" + std::to_string(percent) +
         "% in use\"><span style=\"width:" + std::to_string(percent) + "%\"></span></span>" +
         "<span class=\"used\">" + std::to_string(view.used) + "</span> / <span class=\"seats\">" +
         std::to_string(seats) + "</span></td>";
}

void render_edition_totals(std::string& html, const status_page_model& model) {
  html +=
      "<div class=\"scroll\"><table id=\"edition-totals\"><thead><tr><th>Edition</th>"
      "<th class=\"num\" title=\"Active pools\">Pools</th><th class=\"num\">Seats</th>"
      "<th class=\"num\">Used</th><th class=\"num\">Free</th></tr></thead><tbody>";
  for (const auto& total : edition_totals(model.pools)) {
    const std::string edition(protocol::to_string(total.edition));
    html += "<tr data-edition=\"" + edition + "\" data-seats=\"" + std::to_string(total.seats) +
            "\" data-used=\"" + std::to_string(total.used) + "\" data-free=\"" +
            std::to_string(total.free) + "\"><td>" + edition + "</td><td class=\"num\">" +
            std::to_string(total.pools) + "</td><td class=\"num\">" + std::to_string(total.seats) +
            "</td><td class=\"num\">" + std::to_string(total.used) + "</td><td class=\"num" +
            (total.free == 0 ? " bad" : "") + "\">" + std::to_string(total.free) + "</td></tr>";
  }
  html +=
      "</tbody></table></div><p class=\"muted\">Totals count the pools that grant now; ended "
      "and not yet started pools are left out.</p>";
}

void render_pools(std::string& html, const status_page_model& model) {
  html += "<section id=\"pools\"><h2>Pools <small>" + std::to_string(model.pools.size()) +
          "</small></h2>";
  if (model.pools.empty()) {
    html +=
        "<p class=\"muted\">No pools. Add one with <code>vglsctl pool add</code>.</p>"
        "</section>";
    return;
  }
  render_edition_totals(html, model);
  html +=
      "<div class=\"scroll\"><table><thead><tr><th>Pool</th><th>Edition</th>"
      "<th class=\"opt\">Kind</th><th>Used / seats</th><th class=\"opt\">State</th><th>Days "
      "left</th>"
      "<th class=\"num\" title=\"Denied requests for this edition in the last 24 hours\">"
      "Denied 24 h</th></tr></thead><tbody>";
  for (const auto& view : sorted_by_urgency(model.pools)) {
    const auto state = std::string(protocol::to_string(view.state));
    std::string row_class;
    if (ends_soon(view))
      row_class = view.state == protocol::pool_state::expired ? "warn expired" : "warn";
    html += "<tr data-pool-id=\"";
    append_html_escaped(html, view.pool.id);
    html += "\" data-edition=\"" + std::string(protocol::to_string(view.pool.edition)) +
            "\" data-used=\"" + std::to_string(view.used) + "\" data-seats=\"" +
            std::to_string(view.pool.seats) + "\" data-state=\"" + state + "\" data-urgency=\"" +
            std::string(to_string(urgency_of(view))) + "\"";
    if (view.days_left)
      html += " data-days-left=\"" + std::to_string(*view.days_left) + "\"";
    if (!row_class.empty())
      html += " class=\"" + row_class + "\"";
    html += "><td class=\"id\"><a href=\"";
    lease_filter only_this;
    only_this.pool = view.pool.id;
    append_html_escaped(html, filter_link(only_this, std::nullopt));
    html += "\">";
    append_html_escaped(html, view.pool.id);
    html += "</a></td>";
    html += cell(protocol::to_string(view.pool.edition));
    html += cell(protocol::to_string(view.pool.kind), "opt");
    html += use_cell(view);
    html += cell(state, "opt state-" + state);
    html += days_left_cell(view);
    const std::int64_t denied = denials_in(model.last_day, view.pool.edition);
    html += "<td class=\"num denied" + std::string(denied > 0 ? " bad" : "") + "\">" +
            std::to_string(denied) + "</td></tr>";
  }
  html +=
      "</tbody></table></div><p class=\"muted\">Denials are counted by the edition a client "
      "asked for, so pools of one edition show the same number.</p></section>";
}

std::string filter_input(std::string_view name, std::string_view label,
                         const std::optional<std::string>& value, std::string_view hint) {
  std::string html = "<label>" + std::string(label) + "<input type=\"text\" name=\"" +
                     std::string(name) + "\" placeholder=\"" + std::string(hint) + "\" value=\"";
  if (value)
    append_html_escaped(html, *value);
  return html + "\"></label>";
}

void render_lease_filters(std::string& html, const status_page_model& model) {
  const auto& filter = model.filter;
  html += "<form class=\"filters\" method=\"get\" action=\"/#leases\">";
  html += filter_input("pool", "Pool", filter.pool, "any");
  html += "<label>Edition<select name=\"edition\"><option value=\"\">any</option>";
  for (const auto e : protocol::all_editions) {
    const std::string name(protocol::to_string(e));
    html += "<option value=\"" + name + "\"" + (filter.edition == e ? " selected" : "") + ">" +
            name + "</option>";
  }
  html += "</select></label>";
  html += filter_input("client", "Client id", filter.client, "exact");
  html += filter_input("hostname", "Hostname", filter.hostname, "starts with");
  html += "<button type=\"submit\">Filter</button>";
  if (filter.any())
    html += "<a href=\"/#leases\">clear</a>";
  html += "</form>";
  for (const auto& problem : model.filter_problems) {
    html += "<p class=\"problems\">";
    append_html_escaped(html, problem);
    html += "</p>";
  }
}

std::string labels_cell(const protocol::labels& labels) {
  std::string html = "<td class=\"labels opt\">";
  for (const auto& [key, value] : labels) {
    html += "<span>";
    append_html_escaped(html, key);
    html += "=";
    append_html_escaped(html, value);
    html += "</span>";
  }
  return html + "</td>";
}

void render_leases(std::string& html, const status_page_model& model) {
  html += "<section id=\"leases\"><h2>Leases";
  if (model.leases) {
    html += " <small>" + std::to_string(model.leases->total) +
            (model.filter.any() ? " matching" : " active") + "</small>";
  }
  html += "</h2>";
  render_lease_filters(html, model);
  if (!model.leases) {
    html += "<p class=\"problems\">Leases cannot be shown: ";
    append_html_escaped(html, model.leases_error);
    html += " <a href=\"/#leases\">Start over</a></p></section>";
    return;
  }
  const auto& page = *model.leases;
  if (page.leases.empty()) {
    html += "<p class=\"muted\">No active leases";
    html += model.filter.any() ? " match this filter.</p>" : ".</p>";
  } else {
    html +=
        "<div class=\"scroll\"><table><thead><tr><th>Client</th><th>Hostname</th>"
        "<th>Edition</th><th>Pool</th><th class=\"opt\">vGPU profile</th>"
        "<th class=\"opt\">Labels</th><th class=\"opt\">Issued</th><th>Renewed</th>"
        "<th>Expires</th>"
        "<th class=\"opt\">Lease</th></tr></thead><tbody>";
    for (const auto& lease : page.leases) {
      html += "<tr data-lease-id=\"";
      append_html_escaped(html, lease.id);
      html += "\" data-pool-id=\"";
      append_html_escaped(html, lease.pool_id);
      html += "\">";
      std::string client = cell(lease.client_id);
      if (lease.client_clock_skew_seconds && std::abs(*lease.client_clock_skew_seconds) >= 60) {
        // Worth an admin's attention: the guest's clock is off (it does not affect expiry).
        client = "<td>";
        append_html_escaped(client, lease.client_id);
        client += " <span class=\"muted\" title=\"client clock skew\">(clock " +
                  std::string(*lease.client_clock_skew_seconds > 0 ? "+" : "-") +
                  format_span(std::abs(*lease.client_clock_skew_seconds)) + ")</span></td>";
      }
      html += client;
      html += cell(lease.hostname.value_or(""), "id");
      std::string edition(protocol::to_string(lease.granted_edition));
      if (lease.granted_edition != lease.requested_edition)
        edition += " for " + std::string(protocol::to_string(lease.requested_edition));
      html += cell(edition);
      html += cell(lease.pool_id, "id");
      html += cell(lease.vgpu_profile.value_or(""), "opt");
      html += labels_cell(lease.labels);
      html += cell(format_time(lease.issued_at), "opt");
      html += renewed_cell(lease.issued_at, lease.renewed_at, model.now);
      html += "<td title=\"" + format_time(lease.expires_at) + "\">in " +
              format_span(lease.ttl_seconds) + "</td>";
      html += "<td class=\"opt\"><code>";
      append_html_escaped(html, lease.id);
      html += "</code></td></tr>";
    }
    html += "</tbody></table></div>";
  }
  html += "<div class=\"pager\"><span class=\"muted\">Showing " +
          std::to_string(page.leases.size()) + " of " + std::to_string(page.total) +
          "</span><span>";
  if (model.filter.after) {
    html += "<a id=\"first-page\" href=\"";
    append_html_escaped(html, filter_link(model.filter, std::nullopt));
    html += "\">&laquo; First page</a> ";
  }
  if (page.next) {
    html += "<a id=\"next-page\" href=\"";
    append_html_escaped(html, filter_link(model.filter, page.next));
    html += "\">Next page &raquo;</a>";
  }
  html += "</span></div></section>";
}

void render_usage(std::string& html, const status_page_model& model) {
  html += "<section id=\"usage\"><h2>Usage</h2>";
  if (!model.usage_error.empty()) {
    html += "<p class=\"problems\">Usage cannot be shown: ";
    append_html_escaped(html, model.usage_error);
    html += "</p></section>";
    return;
  }
  html += "<div class=\"charts\">" + render_usage_chart(model.last_day) +
          render_usage_chart(model.last_month) + "</div></section>";
}

void render_events(std::string& html, const status_page_model& model) {
  html += "<section id=\"events\"><h2>Recent events <small>latest " +
          std::to_string(recent_event_count) + "</small></h2>";
  if (!model.events_error.empty()) {
    html += "<p class=\"problems\">Events cannot be shown: ";
    append_html_escaped(html, model.events_error);
    html += "</p></section>";
    return;
  }
  if (model.recent_events.empty()) {
    html += "<p class=\"muted\">No events yet.</p></section>";
    return;
  }
  html +=
      "<div class=\"scroll\"><table class=\"events\"><thead><tr><th>Time</th>"
      "<th class=\"opt\">Event</th><th>What happened</th></tr></thead><tbody>";
  for (const auto& e : model.recent_events) {
    html += "<tr data-event-id=\"" + std::to_string(e.id) + "\" data-type=\"";
    append_html_escaped(html, e.type);
    html += "\">";
    html += cell(format_time(e.at), "when");
    html += cell(e.type, "opt type");
    const bool bad = e.type == protocol::event_type::lease_denied ||
                     e.type == protocol::event_type::clock_rollback;
    html += cell(describe_event(e), bad ? "what bad" : "what");
    html += "</tr>";
  }
  html += "</tbody></table></div></section>";
}

}  // namespace

std::int64_t denials_in(const usage_window& window, protocol::edition edition) {
  std::int64_t total = 0;
  for (const auto& bucket : window.buckets) {
    if (bucket.edition == edition)
      total += bucket.denied;
  }
  return total;
}

std::string render_status_page(const status_page_model& model) {
  std::string html;
  html.reserve(64 * 1024);
  html +=
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      // Without script the page reloads itself; with it, the script refreshes the data in place.
      "<noscript><meta http-equiv=\"refresh\" content=\"" +
      std::to_string(model.refresh_seconds) +
      "\"></noscript><title>vgls status</title>"
      // An empty icon, so browsers do not ask the server for /favicon.ico.
      "<link rel=\"icon\" href=\"data:,\"><style>" +
      std::string(status_page_css) + "</style></head><body data-refresh=\"" +
      std::to_string(model.refresh_seconds) + "\">";
  render_header(html, model);
  render_alerts(html, model);
  render_pools(html, model);
  // The lease table is long; what an admin takes in at a glance comes first.
  render_usage(html, model);
  html += render_held_longest(model.held_longest, model.held_longest_error, model.leases_active,
                              model.now);
  render_events(html, model);
  render_leases(html, model);
  html += "</main><footer>Refreshes every " + std::to_string(model.refresh_seconds) +
          " s &middot; rendered " + format_time(model.now) +
          "<span id=\"refresh-state\"></span></footer><script>" + std::string(status_page_script) +
          "</script></body></html>";
  return html;
}

}  // namespace vgls::server
