#include "protocol/role.h"

namespace vgls::protocol {

std::string_view to_string(role r) {
  switch (r) {
    case role::viewer:
      return "viewer";
    case role::operator_:
      return "operator";
    case role::admin:
      return "admin";
  }
  return "viewer";
}

std::optional<role> parse_role(std::string_view text) {
  for (role r : {role::viewer, role::operator_, role::admin}) {
    if (text == to_string(r)) {
      return r;
    }
  }
  return std::nullopt;
}

}  // namespace vgls::protocol
