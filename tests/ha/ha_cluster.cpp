#include "tests/ha/ha_cluster.h"

namespace vgls::testing {

std::string ha_node_config(const std::string& more) {
  return "[trial]\nenabled = false\n"
         "[storage]\ntakeover_interval = \"1s\"\nsession_timeout = \"3s\"\n" +
         more;
}

ha_cluster::ha_cluster(std::string dsn, std::size_t count, std::string more_config)
    : dsn_(std::move(dsn)) {
  for (std::size_t i = 0; i < count; ++i) {
    vglsd_options options;
    options.backend = test_backend::postgres;
    options.postgres_dsn = dsn_;
    options.config_toml = ha_node_config(more_config);
    nodes_.push_back(std::make_unique<vglsd_process>(std::move(options)));
  }
}

std::vector<std::string> ha_cluster::urls() const {
  std::vector<std::string> urls;
  for (const auto& node : nodes_)
    urls.push_back(node->url());
  return urls;
}

std::size_t ha_cluster::active_count() {
  std::size_t active = 0;
  for (auto& node : nodes_) {
    if (!node->running())
      continue;
    auto answer = node->client()->request("GET", "/healthz/active");
    if (std::holds_alternative<client::http_response>(answer) &&
        std::get<client::http_response>(answer).status == 200) {
      ++active;
    }
  }
  return active;
}

std::optional<std::size_t> ha_cluster::wait_for_active(std::chrono::milliseconds timeout) {
  std::optional<std::size_t> found;
  wait_until(
      [&] {
        found.reset();
        std::size_t seen = 0;
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
          if (!nodes_[i]->running())
            continue;
          auto answer = nodes_[i]->client()->request("GET", "/healthz/active");
          if (std::holds_alternative<client::http_response>(answer) &&
              std::get<client::http_response>(answer).status == 200) {
            found = i;
            ++seen;
          }
        }
        if (seen != 1)
          found.reset();
        return found.has_value();
      },
      timeout);
  return found;
}

}  // namespace vgls::testing
