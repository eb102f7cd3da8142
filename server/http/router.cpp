#include "server/http/router.h"

#include <stdexcept>

namespace vgls::server {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/')
    return segments;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos)
      break;
    path.remove_prefix(slash + 1);
  }
  if (segments.size() == 1 && segments.front().empty())
    segments.clear();  // "/"
  return segments;
}

constexpr std::string_view id_segment = "{id}";

}  // namespace

void router::add(std::string_view pattern, std::string_view method, access level,
                 route_handler handler, route_options options) {
  route* target = nullptr;
  for (auto& r : routes_) {
    if (r.pattern == pattern)
      target = &r;
  }
  if (!target) {
    route r;
    r.pattern = std::string(pattern);
    for (auto segment : split_path(pattern))
      r.segments.emplace_back(segment);
    r.index = routes_.size();
    routes_.push_back(std::move(r));
    target = &routes_.back();
  }
  for (const auto& m : target->methods) {
    if (m.method == method)
      throw std::logic_error("route registered twice: " + target->pattern);
  }
  target->methods.push_back(route_method{std::string(method), level, options.rate_limited,
                                         options.on_standby, std::move(handler),
                                         target->methods.size()});
  if (!target->allow.empty())
    target->allow += ", ";
  target->allow += method;
}

route_match router::match(std::string_view method, std::string_view path) const {
  route_match found;
  if (path.empty() || path.front() != '/')
    return found;
  const auto segments = split_path(path);
  for (const auto& r : routes_) {
    if (r.segments.size() != segments.size())
      continue;
    bool same = true;
    std::string_view id;
    for (std::size_t i = 0; i < segments.size() && same; ++i) {
      if (r.segments[i] == id_segment) {
        id = segments[i];
        same = !id.empty();
      } else {
        same = r.segments[i] == segments[i];
      }
    }
    if (!same)
      continue;
    found.route = &r;
    found.path_id = std::string(id);
    for (const auto& m : r.methods) {
      if (m.method == method) {
        found.result = route_match::outcome::found;
        found.method = &m;
        return found;
      }
    }
    found.result = route_match::outcome::wrong_method;
    return found;
  }
  return found;
}

}  // namespace vgls::server
