#include <catch2/catch.hpp>

#include "protocol/request_codec.h"
#include "protocol/request_encoders.h"

using namespace vgls::protocol;

TEST_CASE("a checkout request round-trips through its encoding") {
  checkout_request request;
  request.client_id = "4c4c4544-0042-3510-8052-b4c04f4e4d32";
  request.requested_edition = edition::vpc;
  request.vgpu_profile = "GRID P40-2B";
  request.hostname = "vdi-017";
  request.labels = {{"pool", "finance"}, {"floor", "3"}};
  request.client_time = 1795514400;

  const auto encoded = encode(request);
  CHECK(encoded.at("edition") == "vPC");
  CHECK(encoded.at("client_time") == "2026-11-24T10:00:00Z");
  const auto decoded = decode_checkout_request(encoded.dump());
  REQUIRE(decoded.is_ok());
  CHECK(decoded->client_id == request.client_id);
  CHECK(decoded->requested_edition == request.requested_edition);
  CHECK(decoded->vgpu_profile == request.vgpu_profile);
  CHECK(decoded->hostname == request.hostname);
  CHECK(decoded->labels == request.labels);
  CHECK(decoded->client_time == request.client_time);
}

TEST_CASE("encoders omit absent optional fields") {
  checkout_request request;
  request.client_id = "vm1";
  request.requested_edition = edition::vws;
  const auto encoded = encode(request);
  CHECK(encoded.size() == 2);
  CHECK_FALSE(encoded.contains("hostname"));
  CHECK_FALSE(encoded.contains("labels"));
  CHECK_FALSE(encoded.contains("client_time"));

  CHECK(encode(renew_request{}).empty());
  CHECK(encode(pool_patch_request{}).empty());
}

TEST_CASE("renew and pool requests round-trip") {
  const auto renew = decode_renew_request(encode(renew_request{1795514400}).dump());
  REQUIRE(renew.is_ok());
  CHECK(renew->client_time == 1795514400);

  pool_create_request create;
  create.id = "vcs-lab";
  create.edition = edition::vcs;
  create.seats = 8;
  create.kind = pool_kind::trial;
  create.starts_at = 1795514400;
  create.days = 30;
  const auto created = decode_pool_create_request(encode(create).dump());
  REQUIRE(created.is_ok());
  CHECK(created->id == "vcs-lab");
  CHECK(created->edition == edition::vcs);
  CHECK(created->seats == 8);
  CHECK(created->kind == pool_kind::trial);
  CHECK(created->starts_at == 1795514400);
  CHECK(created->days == 30);
  CHECK_FALSE(created->expires_at.has_value());

  pool_patch_request patch;
  patch.seats = 3;
  patch.expires_at = 1795514400 + 86400;
  const auto patched = decode_pool_patch_request(encode(patch).dump());
  REQUIRE(patched.is_ok());
  CHECK(patched->seats == 3);
  CHECK(patched->expires_at == 1795514400 + 86400);
  CHECK_FALSE(patched->starts_at.has_value());
}
