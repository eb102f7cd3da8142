// vglsctl on a several-node installation: `status` says which node it asked and its role, and a
// standby's refusal tells the operator which node to ask instead.
#include <catch2/catch.hpp>

#include "tests/ha/ha_cluster.h"
#include "tests/support/child_process.h"
#include "tests/support/test_backend.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

run_result ctl(const vglsd_process& node, std::vector<std::string> args) {
  std::vector<std::string> argv = {VGLS_CTL_BIN, "--server", node.url(), "--token",
                                   node.admin_token()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, 60s);
}

}  // namespace

TEST_CASE("vglsctl names the active node, and a standby points it there", "[ha][ctl]") {
  fresh_postgres_database database;
  ha_cluster cluster(database.dsn(), 2);
  REQUIRE(cluster.wait_for_active(10s) == 0u);

  const auto active = ctl(cluster.node(0), {"status"});
  INFO(active.output);
  CHECK(active.exit_status == 0);
  CHECK_THAT(active.output,
             Catch::Contains("active at " + cluster.node(0).url() + ", active since "));

  const auto standby = ctl(cluster.node(1), {"pool", "list"});
  INFO(standby.output);
  CHECK(standby.exit_status != 0);
  CHECK_THAT(standby.output, Catch::Contains("the active node is " + cluster.node(0).url()));
  CHECK_THAT(standby.output,
             Catch::Contains("run the command with --server " + cluster.node(0).url()));
}
