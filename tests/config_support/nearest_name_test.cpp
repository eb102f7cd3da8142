#include "config_support/nearest_name.h"

#include <catch2/catch.hpp>

using namespace vgls::config;

TEST_CASE("edit distance counts insertions, deletions and substitutions") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("listen", "listen") == 0);
  CHECK(edit_distance("max_conections", "max_connections") == 1);
  CHECK(edit_distance("sever", "server") == 1);
  CHECK(edit_distance("duratoin", "duration") == 2);
  CHECK(edit_distance("abc", "") == 3);
}

TEST_CASE("the nearest name is offered only when it is a slip of the keyboard") {
  const std::vector<std::string_view> keys = {"listen", "data_dir", "max_connections",
                                              "max_body_bytes"};
  CHECK(nearest_name("max_conections", keys) == "max_connections");
  CHECK(nearest_name("lisen", keys) == "listen");
  CHECK(nearest_name("datadir", keys) == "data_dir");
  CHECK_FALSE(nearest_name("colour", keys));
  CHECK_FALSE(nearest_name("x", {"id"}));  // two letters away is the whole word
  CHECK_FALSE(nearest_name("anything", {}));
}
