// Which database holds the installation's state, and how to reach it (SPEC §3 [storage], §7).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

namespace vgls::storage {

enum class backend_kind { sqlite, postgres };

struct postgres_options {
  // A libpq connection string or URI; several hosts with target_session_attrs=read-write follow a
  // promoted replica.
  std::string dsn;
  // How long the start waits for the database before it gives up.
  std::chrono::milliseconds connect_timeout{10000};
  // How often a standby tries to take over.
  std::chrono::milliseconds takeover_interval{1000};
  // How soon a silent database host, or a hung active node, loses its session.
  std::chrono::milliseconds session_timeout{10000};
  // How clients reach this node; the active node stores it for standbys to name.
  std::string advertise_url;
};

struct backend_options {
  backend_kind kind = backend_kind::sqlite;
  std::filesystem::path sqlite_path;  // <data_dir>/vgls.db
  postgres_options postgres;
};

}  // namespace vgls::storage
