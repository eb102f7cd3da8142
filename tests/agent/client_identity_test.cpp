#include "agent/client_identity.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "agent/agent_settings.h"
#include "tests/support/temp_dir.h"

using namespace vgls::agent;
using vgls::testing::temp_dir;
using vgls::testing::write_file;

namespace {

identity_sources sources_in(const temp_dir& dir) {
  identity_sources sources;
  sources.product_uuid = dir / "product_uuid";
  sources.machine_id = dir / "machine-id";
  sources.nvidia_smi = (dir / "nvidia-smi").string();
  return sources;
}

void write_script(const std::filesystem::path& path, const std::string& body) {
  write_file(path, "#!/bin/sh\n" + body + "\n");
  ::chmod(path.c_str(), 0755);
}

}  // namespace

TEST_CASE("client id: the DMI product UUID first, lower-cased", "[identity]") {
  temp_dir dir;
  write_file(dir / "product_uuid", "4C4C4544-0042-3510-8052-B4C04F4E4D32\n");
  write_file(dir / "machine-id", "0123456789abcdef0123456789abcdef\n");
  auto id = detect_client_id(sources_in(dir));
  REQUIRE(id);
  CHECK(*id == "4c4c4544-0042-3510-8052-b4c04f4e4d32");
}

TEST_CASE("client id: /etc/machine-id when the UUID is unreadable or a placeholder", "[identity]") {
  temp_dir dir;
  write_file(dir / "machine-id", "0123456789abcdef0123456789abcdef\n");
  SECTION("no DMI file (or no permission to read it)") {}
  SECTION("all zeros") {
    write_file(dir / "product_uuid", "00000000-0000-0000-0000-000000000000\n");
  }
  SECTION("all Fs") {
    write_file(dir / "product_uuid", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF\n");
  }
  SECTION("empty") {
    write_file(dir / "product_uuid", "\n");
  }
  auto id = detect_client_id(sources_in(dir));
  REQUIRE(id);
  CHECK(*id == "0123456789abcdef0123456789abcdef");
}

TEST_CASE("client id: neither source is an error that says what to set", "[identity]") {
  temp_dir dir;
  auto id = detect_client_id(sources_in(dir));
  REQUIRE_FALSE(id);
  CHECK(id.error().field() == "client_id");
  CHECK_THAT(id.error().message(), Catch::Contains("--client-id"));
}

TEST_CASE("the vGPU profile is the first GPU name nvidia-smi reports", "[identity]") {
  CHECK(profile_from_nvidia_smi_output("GRID P40-2Q\nGRID P40-2Q\n") == "GRID P40-2Q");
  CHECK(profile_from_nvidia_smi_output("\n  NVIDIA A100-4C  \n") == "NVIDIA A100-4C");
  CHECK_FALSE(profile_from_nvidia_smi_output(""));
}

TEST_CASE("nvidia-smi is run, and its absence or failure means no profile", "[identity]") {
  temp_dir dir;
  auto sources = sources_in(dir);
  SECTION("present") {
    write_script(dir / "nvidia-smi", "echo 'GRID P40-2B'");
    CHECK(detect_vgpu_profile(sources) == "GRID P40-2B");
  }
  SECTION("absent") {
    CHECK_FALSE(detect_vgpu_profile(sources));
  }
  SECTION("failing") {
    write_script(dir / "nvidia-smi", "echo 'NVIDIA-SMI has failed'; exit 9");
    CHECK_FALSE(detect_vgpu_profile(sources));
  }
  SECTION("hanging") {
    write_script(dir / "nvidia-smi", "exec sleep 30");
    sources.nvidia_smi_timeout = std::chrono::seconds(1);
    CHECK_FALSE(detect_vgpu_profile(sources));
  }
}

TEST_CASE("settings: the edition wins over the profile; a profile implies one", "[settings]") {
  temp_dir dir;
  auto sources = sources_in(dir);
  agent_config config;
  config.servers = {"http://127.0.0.1:7070"};
  config.client_id = "vm-1";
  SECTION("edition alias") {
    config.edition = "rtx-vws";
    config.vgpu_profile = "GRID P40-2B";
    auto settings = resolve_settings(config, resolve_scope::checkout, sources);
    REQUIRE(settings);
    CHECK(settings->checkout.requested_edition == vgls::protocol::edition::vws);
    CHECK(settings->checkout.vgpu_profile == "GRID P40-2B");
  }
  SECTION("profile from nvidia-smi") {
    write_script(dir / "nvidia-smi", "echo 'GRID P40-2B'");
    auto settings = resolve_settings(config, resolve_scope::checkout, sources);
    REQUIRE(settings);
    CHECK(settings->checkout.requested_edition == vgls::protocol::edition::vpc);
    CHECK(settings->checkout.vgpu_profile == "GRID P40-2B");
  }
  SECTION("neither: a clear error") {
    auto settings = resolve_settings(config, resolve_scope::checkout, sources);
    REQUIRE_FALSE(settings);
    CHECK_THAT(settings.error().message(), Catch::Contains("edition"));
  }
  SECTION("a profile that names no edition") {
    config.vgpu_profile = "GRID P40-2X";
    CHECK_FALSE(resolve_settings(config, resolve_scope::checkout, sources));
  }
  SECTION("an unknown edition") {
    config.edition = "vGaming";
    auto settings = resolve_settings(config, resolve_scope::checkout, sources);
    REQUIRE_FALSE(settings);
    CHECK(settings.error().field() == "edition");
  }
}

TEST_CASE("settings: servers, token file and client id are checked", "[settings]") {
  temp_dir dir;
  auto sources = sources_in(dir);
  agent_config config;
  config.edition = "vWS";
  config.client_id = "vm-1";
  SECTION("no server") {
    auto settings = resolve_settings(config, resolve_scope::checkout, sources);
    REQUIRE_FALSE(settings);
    CHECK(settings.error().field() == "servers");
  }
  SECTION("not a URL") {
    config.servers = {"vgls1:7070"};
    CHECK_FALSE(resolve_settings(config, resolve_scope::checkout, sources));
  }
  SECTION("token file read and trimmed") {
    config.servers = {"http://127.0.0.1:7070"};
    write_file(dir / "client.token", "s3cret\n");
    config.client_token_file = (dir / "client.token").string();
    auto settings = resolve_settings(config, resolve_scope::checkout, sources);
    REQUIRE(settings);
    CHECK(settings->client_options.bearer_token == "s3cret");
  }
  SECTION("token file missing") {
    config.servers = {"http://127.0.0.1:7070"};
    config.client_token_file = (dir / "absent.token").string();
    CHECK_FALSE(resolve_settings(config, resolve_scope::checkout, sources));
  }
  SECTION("invalid client id") {
    config.servers = {"http://127.0.0.1:7070"};
    config.client_id = "vm 1";
    CHECK_FALSE(resolve_settings(config, resolve_scope::checkout, sources));
  }
  SECTION("release needs no identity") {
    config.servers = {"http://127.0.0.1:7070"};
    config.edition.reset();
    config.client_id = "auto";
    CHECK(resolve_settings(config, resolve_scope::servers, sources));
  }
}
