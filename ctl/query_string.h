// Building request targets safely: every user-supplied value is percent-encoded, so that a pool
// id or hostname prefix with '&', '/', '#' or spaces can never change which route or parameter the
// server sees. Not thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "protocol/percent_encoding.h"

namespace vgls::ctl {

// RFC 3986 unreserved characters stay; every other byte becomes %XX.
using protocol::percent_encode;

class query_string {
 public:
  void add(std::string_view name, std::string_view value);
  // "?a=1&b=2", or "" when nothing was added.
  std::string str() const { return text_.empty() ? std::string() : "?" + text_; }

 private:
  std::string text_;
};

}  // namespace vgls::ctl
