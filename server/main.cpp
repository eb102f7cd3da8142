// vglsd: assembles configuration, storage, request handling and the network side, then serves
// until SIGTERM/SIGINT (SPEC §3).
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "log_support/journal_priority.h"
#include "server/app/application.h"
#include "server/app/secure_files.h"
#include "server/app/server_log.h"
#include "server/app/tokens.h"
#include "server/config/command_line.h"
#include "server/config/server_config.h"
#include "server/net/http_server.h"
#include "server/signing/lease_signer.h"
#include "server/signing/start_keys.h"
#include "storage/import_sqlite.h"
#include "storage/open_store.h"

namespace {

using namespace vgls;

// What this run does besides serving: its failures do not stop a start, they end that task.
enum class task { serve, check_config, import_sqlite };
task running_task = task::serve;

int fatal(const std::string& message) {
  spdlog::critical("{}", message);
  switch (running_task) {
    case task::check_config:
      spdlog::critical("the configuration is not valid");
      break;
    case task::import_sqlite:
      spdlog::critical("nothing was imported");
      break;
    case task::serve:
      spdlog::critical("vglsd did not start");
      break;
  }
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  auto flags = server::parse_command_line(argc, argv, exit_code);
  if (!flags)
    return exit_code;
  if (flags->version) {
    std::printf("vglsd %s\n", VGLS_VERSION);
    return 0;
  }
  running_task = flags->check_config    ? task::check_config
                 : flags->import_sqlite ? task::import_sqlite
                                        : task::serve;

  // Logs go to stderr: the journal under systemd, the terminal otherwise.
  server::set_up_server_log(logging::stderr_is_journal());

  auto loaded = flags->config_file
                    ? server::load_config_file(*flags->config_file)
                    : protocol::result<server::server_config>(server::server_config{});
  if (!loaded)
    return fatal(loaded.error().message());
  server::server_config config = std::move(*loaded);
  if (auto s = server::apply_overrides(*flags, config); !s)
    return fatal(s.message());
  if (auto s = server::validate_config(config); !s)
    return fatal(s.message());
  const std::string config_source =
      flags->config_file ? flags->config_file->string() : std::string("embedded defaults");
  if (flags->check_config) {
    // Files the configuration names must be usable too, or the real start would fail.
    if (auto s = server::check_named_files(config); !s)
      return fatal(s.message());
    // What those files hold, as a start reads them (without binding the port or opening the store).
    if (auto s = server::http_server(config).load_tls(); !s)
      return fatal(s.message());
    if (auto key = server::load_signing_key_file(config); !key)
      return fatal(key.error().message());
    // What a start would warn of, with the line to look at; it does not stop a start.
    for (const auto& warning : config.warnings)
      spdlog::warn("{}", warning);
    std::printf("%s: configuration is valid\n", config_source.c_str());
    return 0;
  }
  server::set_server_log_level(spdlog::level::from_str(config.log_level));

  if (flags->import_sqlite) {
    if (config.storage_backend != "postgres") {
      return fatal("--import-sqlite copies into PostgreSQL: the configuration (" + config_source +
                   ") must set storage.backend = \"postgres\" and storage.postgres_dsn");
    }
    auto imported = storage::import_sqlite(*flags->import_sqlite, config.backend().postgres);
    if (!imported)
      return fatal(imported.error().message());
    std::printf(
        "imported %s into PostgreSQL: %lld pools, %lld leases, %lld events, %lld usage rows, "
        "%lld tokens, %lld signing keys; start vglsd with this configuration to serve them\n",
        flags->import_sqlite->c_str(), static_cast<long long>(imported->pools),
        static_cast<long long>(imported->leases), static_cast<long long>(imported->events),
        static_cast<long long>(imported->usage_rows), static_cast<long long>(imported->tokens),
        static_cast<long long>(imported->signing_keys));
    return 0;
  }

  // The port first: a start that cannot have it leaves nothing behind on disk.
  server::http_server http(config);
  if (auto s = http.bind(); !s)
    return fatal(s.message());
  server::restrict_new_files();
  std::error_code dir_error;
  std::filesystem::create_directories(config.data_dir, dir_error);
  if (dir_error) {
    return fatal("cannot create the data directory " + config.data_dir.string() + ": " +
                 dir_error.message() + "; create it or choose another with --data-dir");
  }
  server::secure_data_dir(config);
  auto client_token = server::load_client_token(config);
  if (!client_token)
    return fatal(client_token.error().message());
  auto file_key = server::load_signing_key_file(config);
  if (!file_key)
    return fatal(file_key.error().message());

  auto opened = storage::open_store(config.backend(), config.store);
  if (!opened)
    return fatal(opened.error().message());
  std::unique_ptr<storage::store> store = std::move(*opened);
  if (!*file_key) {
    if (auto s = server::ensure_signing_key(*store); !s) {
      store->close();
      return fatal("cannot store the signing key: " + s.message());
    }
  } else {
    spdlog::info("lease tokens are signed with the key of {} ({})",
                 config.signing_key_file->string(), (*file_key)->kid());
  }
  const server::lease_signer signer(*store, std::move(*file_key), config.signing_reserve);
  if (config.signing_reserve > 0)
    spdlog::info(
        "up to {} lease signatures are prepared ahead at idle priority "
        "(server.signing_reserve)",
        config.signing_reserve);
  auto admin = server::settle_admin_token(*store, config);
  if (!admin) {
    store->close();
    return fatal(admin.error().message());
  }

  {
    server::application app(*store, config,
                            server::auth_settings{admin->value, *client_token,
                                                  config.status_page_public, config.metrics_public},
                            signer);
    http.attach(app);
    const unsigned threads =
        config.threads > 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
    spdlog::info("vglsd {} listening on {} ({}), {} io thread(s); configuration: {}", VGLS_VERSION,
                 config.listen.to_string(), config.tls() ? "TLS" : "plain HTTP", threads,
                 config_source);
    const std::string admin_source =
        (admin->generated ? "generated into " : "read from ") + admin->file.string();
    spdlog::info(
        "data in {}; admin token {}",
        config.storage_backend == "postgres" ? "PostgreSQL" : config.database_path().string(),
        admin_source);
    if (*client_token) {
      spdlog::info("clients must present the client token");
    } else {
      spdlog::warn(
          "no client token is configured (server.client_token_file): any host that "
          "reaches {} can take seats",
          config.listen.to_string());
    }
    sd_notify(0, "READY=1");
    http.run(threads);
    sd_notify(0, "STOPPING=1");
    // Close the store while the io context still exists: a store operation that outlived the
    // drain posts its answer there, and must not find it gone.
    spdlog::info("flushing storage");
    store->close();
  }
  spdlog::info("vglsd stopped");
  return 0;
}
