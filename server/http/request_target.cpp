#include "server/http/request_target.h"

// Boost.URL is compiled into vgls_server from this one translation unit.
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/src.hpp>

namespace vgls::server {

namespace {

bool starts_with_no_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size())
    return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char c =
        text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != prefix[i])
      return false;
  }
  return true;
}

// RFC 9112 §3.2.2: a server must accept the absolute-form ("http://host/v1/leases"); the
// authority is ignored (one server, one set of routes). Anything else but a path is nullopt.
std::optional<std::string_view> strip_absolute_form(std::string_view target) {
  if (!target.empty() && target.front() == '/')
    return target;
  std::size_t scheme_end = 0;
  if (starts_with_no_case(target, "http://"))
    scheme_end = 7;
  else if (starts_with_no_case(target, "https://"))
    scheme_end = 8;
  else
    return std::nullopt;
  const auto path_start = target.find_first_of("/?", scheme_end);
  if (path_start == std::string_view::npos)
    return std::string_view("/");
  return target.substr(path_start);
}

}  // namespace

std::optional<request_target> parse_request_target(std::string_view raw_target) {
  const auto origin = strip_absolute_form(raw_target);
  if (!origin)
    return std::nullopt;
  const std::string_view target = *origin;
  request_target parsed;
  const auto question = target.find('?');
  parsed.path = target.substr(0, question);
  if (parsed.path.empty())
    parsed.path = "/";  // "http://host?x": the path of an absolute-form target defaults to /
  if (question == std::string_view::npos)
    return parsed;
  // Boost.URL 1.81's parse_query measures its input with strlen (a bug), so it must get a
  // NUL-terminated copy: the target is a view into the middle of the request.
  const std::string encoded(target.substr(question + 1));
  if (encoded.empty())
    return parsed;
  auto params = boost::urls::parse_query(boost::urls::string_view(encoded.data(), encoded.size()));
  if (!params) {
    parsed.query_malformed = true;
    return parsed;
  }
  boost::urls::encoding_opts options;
  options.space_as_plus = true;  // HTML forms and curl --data-urlencode write spaces as '+'
  for (auto param : boost::urls::params_view(*params, options)) {
    if (param.key.empty())
      continue;
    // A repeated name keeps its last value (request_codec.h).
    parsed.query.insert_or_assign(std::string(param.key),
                                  param.has_value ? std::string(param.value) : std::string());
  }
  return parsed;
}

}  // namespace vgls::server
