#include "storage/open_store.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "storage/engine/engine_store.h"
#include "storage/postgres/postgres_persistence.h"
#include "storage/sqlite/sqlite_persistence.h"

namespace vgls::storage {

namespace {

protocol::result<std::unique_ptr<persistence>> open_backend(const backend_options& backend) {
  switch (backend.kind) {
    case backend_kind::sqlite: {
      auto sqlite = std::make_unique<sqlite::sqlite_persistence>(backend.sqlite_path);
      try {
        sqlite->open();
      } catch (const std::exception& e) {
        return protocol::status::unavailable("cannot open the license database " +
                                             backend.sqlite_path.string() + ": " + e.what());
      }
      return std::unique_ptr<persistence>(std::move(sqlite));
    }
    case backend_kind::postgres: {
      auto postgres = std::make_unique<postgres::postgres_persistence>(backend.postgres);
      try {
        postgres->open();
      } catch (const std::exception& e) {
        return protocol::status::unavailable(e.what());
      }
      return std::unique_ptr<persistence>(std::move(postgres));
    }
  }
  return protocol::status::internal("unknown storage backend");
}

}  // namespace

protocol::result<std::unique_ptr<store>> open_store(const backend_options& backend,
                                                    store_options options) {
  auto persistence = open_backend(backend);
  if (!persistence) {
    spdlog::error("{}; the server cannot start without its license database",
                  persistence.error().message());
    return persistence.error();
  }
  auto opened = std::make_unique<engine_store>(std::move(*persistence), std::move(options));
  if (auto status = opened->open(); !status) {
    spdlog::error("{}; the server cannot start without its license database", status.message());
    return status;
  }
  return std::unique_ptr<store>(std::move(opened));
}

}  // namespace vgls::storage
