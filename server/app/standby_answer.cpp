#include "server/app/standby_answer.h"

#include "server/http/responses.h"
#include "server/status_page/html_escape.h"

namespace vgls::server {

std::string_view role_name(storage::node_role role) {
  switch (role) {
    case storage::node_role::active:
      return "active";
    case storage::node_role::standby:
      return "standby";
    case storage::node_role::single:
      return "single";
  }
  return "single";
}

namespace {

std::string standby_message(const storage::node_status& node) {
  if (node.active_node_url) {
    return "this node is a standby; the active node is " + *node.active_node_url;
  }
  if (!node.problem.empty()) {
    return "this node cannot serve now (" + node.problem + "); it reconnects by itself";
  }
  return "this node is a standby and no active node is known yet; retry shortly";
}

std::string standby_page(const storage::node_status& node) {
  std::string page =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta http-equiv=\"refresh\" content=\"5\"><title>vgls standby</title>"
      "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#222}"
      "a{color:#0b5cad}</style></head><body><h1>vgls: standby node</h1><p>";
  if (node.active_node_url) {
    page +=
        "This node stands by. The active node, which serves licenses and this page, is <a "
        "href=\"";
    append_html_escaped(page, *node.active_node_url);
    page += "/\">";
    append_html_escaped(page, *node.active_node_url);
    page += "</a>.";
  } else {
    page += "This node stands by and knows no active node yet";
    if (!node.problem.empty()) {
      page += " (";
      append_html_escaped(page, node.problem);
      page += ")";
    }
    page += ". It takes over by itself when it can; this page refreshes every 5 seconds.";
  }
  page += "</p></body></html>";
  return page;
}

}  // namespace

outgoing_response standby_answer(const storage::node_status& node, bool as_page) {
  outgoing_response response = error_response(protocol::status::unavailable(standby_message(node)));
  if (as_page) {
    response.content_type = "text/html; charset=utf-8";
    response.body = standby_page(node);
  }
  for (auto& [name, value] : response.headers) {
    if (name == "Retry-After") {
      value = "1";  // another node serves, or will within seconds
    }
  }
  if (node.active_node_url) {
    response.headers.emplace_back("Vgls-Active-Node", *node.active_node_url);
  }
  return response;
}

}  // namespace vgls::server
