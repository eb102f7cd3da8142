#include "server/http/request_target.h"

// Boost.URL is compiled into vgls_server from this one translation unit.
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/src.hpp>

namespace vgls::server {

std::optional<request_target> parse_request_target(std::string_view target) {
  if (target.empty() || target.front() != '/')
    return std::nullopt;
  request_target parsed;
  const auto question = target.find('?');
  parsed.path = target.substr(0, question);
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
