// Several real vglsd nodes on one PostgreSQL database (SPEC §7): the first one started becomes
// active, the others stand by. Short takeover settings so that tests see takeovers in seconds.
// Not thread-safe, except for the nodes' own clients.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/vglsd_process.h"

namespace vgls::testing {

// The [storage] and [trial] settings of every node: trial off, a standby polls every second, a
// silent or hung active node loses its session after 3 s.
std::string ha_node_config(const std::string& more = {});

class ha_cluster {
 public:
  // `count` nodes on the database `dsn`, started one after the other.
  ha_cluster(std::string dsn, std::size_t count = 3, std::string more_config = {});

  std::size_t size() const { return nodes_.size(); }
  vglsd_process& node(std::size_t i) { return *nodes_.at(i); }
  std::vector<std::string> urls() const;

  // The one node whose /healthz/active answers 200, once exactly one does (waiting up to
  // `timeout`); nullopt when none or several do by then.
  std::optional<std::size_t> wait_for_active(std::chrono::milliseconds timeout);
  // How many nodes answer /healthz/active with 200 right now.
  std::size_t active_count();

 private:
  std::string dsn_;
  std::vector<std::unique_ptr<vglsd_process>> nodes_;
};

}  // namespace vgls::testing
