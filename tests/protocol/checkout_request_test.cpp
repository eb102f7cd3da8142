#include <catch2/catch.hpp>
#include <string>

#include "protocol/request_codec.h"

using namespace vgls::protocol;

namespace {

// Asserts that `body` is refused with `code` naming `field` (empty: no field).
void check_refused(std::string_view body, error_code code, std::string_view field) {
  const auto decoded = decode_checkout_request(body);
  REQUIRE_FALSE(decoded.is_ok());
  CHECK(decoded.error().code() == code);
  CHECK(decoded.error().field() == field);
  CHECK_FALSE(decoded.error().message().empty());
}

std::string with_labels(int pairs) {
  std::string labels;
  for (int i = 0; i < pairs; ++i) {
    labels += (i ? "," : "") + ("\"k" + std::to_string(i) + "\":\"v\"");
  }
  return R"({"client_id":"vm1","edition":"vPC","labels":{)" + labels + "}}";
}

}  // namespace

TEST_CASE("the SPEC example checkout decodes") {
  const auto decoded = decode_checkout_request(R"({
    "client_id": "4c4c4544-0042-3510-8052-b4c04f4e4d32", "edition": "vPC",
    "vgpu_profile": "GRID P40-2B", "hostname": "vdi-017", "client_time": "2026-11-24T10:00:00Z",
    "labels": {"pool": "finance"}})");
  REQUIRE(decoded.is_ok());
  CHECK(decoded->client_id == "4c4c4544-0042-3510-8052-b4c04f4e4d32");
  CHECK(decoded->requested_edition == edition::vpc);
  CHECK(decoded->vgpu_profile == "GRID P40-2B");
  CHECK(decoded->hostname == "vdi-017");
  CHECK(decoded->client_time == 1795514400);
  CHECK(decoded->labels == labels{{"pool", "finance"}});
}

TEST_CASE("a minimal checkout has only client_id and edition: nulls are absent") {
  const auto decoded = decode_checkout_request(
      R"({"client_id":"vm1","edition":"qdws","hostname":null,"labels":null,"client_time":null,
          "vgpu_profile":null,"unknown":{"x":[1,2]}})");
  REQUIRE(decoded.is_ok());
  CHECK(decoded->requested_edition == edition::vws);
  CHECK_FALSE(decoded->hostname.has_value());
  CHECK_FALSE(decoded->vgpu_profile.has_value());
  CHECK(decoded->labels.empty());
  CHECK_FALSE(decoded->client_time.has_value());
}

TEST_CASE("the edition wins over the profile: the profile serves when no edition is given") {
  auto both =
      decode_checkout_request(R"({"client_id":"vm1","edition":"vApp","vgpu_profile":"A100-4C"})");
  REQUIRE(both.is_ok());
  CHECK(both->requested_edition == edition::vapp);
  CHECK(both->vgpu_profile == "A100-4C");

  auto profile_only = decode_checkout_request(R"({"client_id":"vm1","vgpu_profile":"A100-4C"})");
  REQUIRE(profile_only.is_ok());
  CHECK(profile_only->requested_edition == edition::vcs);

  // An edition that names a profile with no edition still wins.
  auto edition_and_odd_profile =
      decode_checkout_request(R"({"client_id":"vm1","edition":"vWS","vgpu_profile":"custom"})");
  REQUIRE(edition_and_odd_profile.is_ok());
  CHECK(edition_and_odd_profile->requested_edition == edition::vws);
}

TEST_CASE("malformed bodies are invalid_request without a field") {
  for (const char* body : {"", "not json", "[]", "[{\"client_id\":\"vm1\"}]", "\"vm1\"", "7",
                           "null", "{\"client_id\":\"vm1\",", "{\"client_id\":\"\xC3\x28\"}"}) {
    CAPTURE(body);
    check_refused(body, error_code::invalid_request, "");
  }
  check_refused(std::string(100000, '['), error_code::invalid_request, "");
  check_refused("{\"labels\":" + std::string(100000, '{'), error_code::invalid_request, "");
}

TEST_CASE("client_id is required and must match its pattern") {
  check_refused(R"({"edition":"vPC"})", error_code::invalid_request, "client_id");
  check_refused(R"({"client_id":null,"edition":"vPC"})", error_code::invalid_request, "client_id");
  check_refused(R"({"client_id":"","edition":"vPC"})", error_code::invalid_request, "client_id");
  check_refused(R"({"client_id":42,"edition":"vPC"})", error_code::invalid_request, "client_id");
  check_refused(R"({"client_id":["vm1"],"edition":"vPC"})", error_code::invalid_request,
                "client_id");
  check_refused(R"({"client_id":"vm 1","edition":"vPC"})", error_code::invalid_request,
                "client_id");
  check_refused(R"({"client_id":"vm/1","edition":"vPC"})", error_code::invalid_request,
                "client_id");
  check_refused("{\"client_id\":\"" + std::string(129, 'a') + "\",\"edition\":\"vPC\"}",
                error_code::invalid_request, "client_id");
  CHECK(decode_checkout_request("{\"client_id\":\"" + std::string(128, 'a') +
                                "\",\"edition\":\"vPC\"}")
            .is_ok());
  const auto message = decode_checkout_request(R"({"edition":"vPC","client_id":"a b"})");
  REQUIRE_FALSE(message.is_ok());
  CHECK(message.error().message() == "client_id: must be 1-128 characters of A-Z a-z 0-9 . _ : -");
}

TEST_CASE("edition errors name their field") {
  check_refused(R"({"client_id":"vm1"})", error_code::invalid_request, "edition");
  check_refused(R"({"client_id":"vm1","edition":null})", error_code::invalid_request, "edition");
  check_refused(R"({"client_id":"vm1","edition":"vGPU"})", error_code::unknown_edition, "edition");
  check_refused(R"({"client_id":"vm1","edition":""})", error_code::unknown_edition, "edition");
  check_refused(R"({"client_id":"vm1","edition":3})", error_code::invalid_request, "edition");
  check_refused(R"({"client_id":"vm1","edition":"vGPU","vgpu_profile":"P40-2Q"})",
                error_code::unknown_edition, "edition");
  check_refused(R"({"client_id":"vm1","vgpu_profile":"P40-2X"})", error_code::unknown_edition,
                "vgpu_profile");
  check_refused(R"({"client_id":"vm1","vgpu_profile":""})", error_code::unknown_edition,
                "vgpu_profile");
  check_refused(R"({"client_id":"vm1","vgpu_profile":true})", error_code::invalid_request,
                "vgpu_profile");
}

TEST_CASE("size limits count UTF-8 bytes") {
  const std::string host253(253, 'h');
  CHECK(decode_checkout_request(R"({"client_id":"vm1","edition":"vPC","hostname":")" + host253 +
                                "\"}")
            .is_ok());
  check_refused(R"({"client_id":"vm1","edition":"vPC","hostname":")" + host253 + "h\"}",
                error_code::invalid_request, "hostname");
  // 127 two-byte characters are 254 bytes.
  std::string wide;
  for (int i = 0; i < 127; ++i) {
    wide += "\xC3\xA9";
  }
  check_refused(R"({"client_id":"vm1","edition":"vPC","hostname":")" + wide + "\"}",
                error_code::invalid_request, "hostname");
  check_refused(R"({"client_id":"vm1","edition":"vPC","hostname":17})", error_code::invalid_request,
                "hostname");

  const std::string profile64 = std::string(60, 'P') + "-2Q";
  CHECK(decode_checkout_request(R"({"client_id":"vm1","vgpu_profile":")" + profile64 + "X\"}")
            .error()
            .field() == "vgpu_profile");
  CHECK(decode_checkout_request(R"({"client_id":"vm1","vgpu_profile":")" + std::string(61, 'P') +
                                "-2Q\"}")
            .is_ok());
  check_refused(R"({"client_id":"vm1","vgpu_profile":")" + std::string(62, 'P') + "-2Q\"}",
                error_code::invalid_request, "vgpu_profile");
}

TEST_CASE("labels: at most 16 pairs of strings of at most 64 bytes") {
  CHECK(decode_checkout_request(with_labels(16)).is_ok());
  CHECK(decode_checkout_request(with_labels(0)).is_ok());
  check_refused(with_labels(17), error_code::invalid_request, "labels");

  const std::string v64(64, 'v');
  CHECK(decode_checkout_request(R"({"client_id":"vm1","edition":"vPC","labels":{"k":")" + v64 +
                                "\"}}")
            .is_ok());
  check_refused(R"({"client_id":"vm1","edition":"vPC","labels":{"k":")" + v64 + "v\"}}",
                error_code::invalid_request, "labels");
  check_refused(R"({"client_id":"vm1","edition":"vPC","labels":{")" + v64 + "k\":\"v\"}}",
                error_code::invalid_request, "labels");
  check_refused(R"({"client_id":"vm1","edition":"vPC","labels":{"":"v"}})",
                error_code::invalid_request, "labels");
  for (const char* value : {"1", "true", "null", "[\"v\"]", "{\"x\":\"y\"}"}) {
    CAPTURE(value);
    check_refused(
        std::string(R"({"client_id":"vm1","edition":"vPC","labels":{"k":)") + value + "}}",
        error_code::invalid_request, "labels");
  }
  for (const char* labels : {"[]", "\"pool=finance\"", "3", "[[\"k\",\"v\"]]"}) {
    CAPTURE(labels);
    check_refused(std::string(R"({"client_id":"vm1","edition":"vPC","labels":)") + labels + "}",
                  error_code::invalid_request, "labels");
  }
}

TEST_CASE("client_time must be RFC 3339") {
  check_refused(R"({"client_id":"vm1","edition":"vPC","client_time":"yesterday"})",
                error_code::invalid_request, "client_time");
  check_refused(R"({"client_id":"vm1","edition":"vPC","client_time":1795514400})",
                error_code::invalid_request, "client_time");
  check_refused(R"({"client_id":"vm1","edition":"vPC","client_time":"2026-02-30T00:00:00Z"})",
                error_code::invalid_request, "client_time");
  const auto offset = decode_checkout_request(
      R"({"client_id":"vm1","edition":"vPC","client_time":"2026-11-24T11:00:00+01:00"})");
  REQUIRE(offset.is_ok());
  CHECK(offset->client_time == 1795514400);
}
