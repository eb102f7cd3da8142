#include "ctl/query_string.h"

namespace vgls::ctl {

void query_string::add(std::string_view name, std::string_view value) {
  if (!text_.empty())
    text_ += '&';
  text_ += percent_encode(name);
  text_ += '=';
  text_ += percent_encode(value);
}

}  // namespace vgls::ctl
