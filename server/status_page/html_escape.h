// Escaping text for HTML element content and quoted attribute values. Every string that reaches
// the status page from a client (hostname, labels, client id) or an admin (pool id) goes through
// here, so none can inject markup or script. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace vgls::server {

// & < > " ' become entities; everything else is kept byte for byte.
std::string html_escape(std::string_view text);
void append_html_escaped(std::string& out, std::string_view text);

}  // namespace vgls::server
