// Bad input gets the SPEC's error, changes nothing, and the server keeps serving others.
#include <catch2/catch.hpp>
#include <random>
#include <thread>

#include "tests/server/e2e_steps.h"
#include "tests/server/raw_socket.h"

using namespace vgls::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

struct bad_case {
  const char* what;
  std::string body;
  std::string code;
  std::string field;  // empty: no field expected
};

}  // namespace

TEST_CASE("bad checkout bodies get 400 with the field at fault and change nothing",
          "[e2e][bad_input]") {
  vglsd_process server;
  auto c = server.client();
  auto admin = server.admin_client();

  std::string labels17 = "{";
  for (int i = 0; i < 17; ++i)
    labels17 += (i ? "," : "") + ("\"k" + std::to_string(i) + "\":\"v\"");
  labels17 += "}";
  const std::vector<bad_case> cases = {
      {"malformed JSON", R"({"client_id": "vm1", "edition": )", "invalid_request", ""},
      {"a JSON array", R"([{"client_id": "vm1"}])", "invalid_request", ""},
      {"a JSON string", R"("vm1")", "invalid_request", ""},
      {"a JSON number", "42", "invalid_request", ""},
      {"missing client_id", R"({"edition": "vWS"})", "invalid_request", "client_id"},
      {"empty client_id", R"({"client_id": "", "edition": "vWS"})", "invalid_request", "client_id"},
      {"client_id of the wrong type", R"({"client_id": 17, "edition": "vWS"})", "invalid_request",
       "client_id"},
      {"client_id with a space", R"({"client_id": "vm 1", "edition": "vWS"})", "invalid_request",
       "client_id"},
      {"client_id with a slash", R"({"client_id": "vm/1", "edition": "vWS"})", "invalid_request",
       "client_id"},
      {"client_id over 128",
       R"({"client_id": ")" + std::string(129, 'a') + R"(", "edition": "vWS"})", "invalid_request",
       "client_id"},
      {"no edition nor profile", R"({"client_id": "vm1"})", "invalid_request", "edition"},
      {"edition of the wrong type", R"({"client_id": "vm1", "edition": ["vWS"]})",
       "invalid_request", "edition"},
      {"unknown edition", R"({"client_id": "vm1", "edition": "vXX"})", "unknown_edition",
       "edition"},
      {"profile that maps to no edition", R"({"client_id": "vm1", "vgpu_profile": "GRID P40-2Z"})",
       "unknown_edition", "vgpu_profile"},
      {"hostname over 253",
       R"({"client_id": "vm1", "edition": "vWS", "hostname": ")" + std::string(254, 'h') + "\"}",
       "invalid_request", "hostname"},
      {"profile over 64",
       R"({"client_id": "vm1", "edition": "vWS", "vgpu_profile": ")" + std::string(65, 'Q') + "\"}",
       "invalid_request", "vgpu_profile"},
      {"17 labels", R"({"client_id": "vm1", "edition": "vWS", "labels": )" + labels17 + "}",
       "invalid_request", "labels"},
      {"a label value over 64",
       R"({"client_id": "vm1", "edition": "vWS", "labels": {"k": ")" + std::string(65, 'v') +
           "\"}}",
       "invalid_request", "labels"},
      {"labels not an object", R"({"client_id": "vm1", "edition": "vWS", "labels": [1]})",
       "invalid_request", "labels"},
      {"client_time not RFC 3339",
       R"({"client_id": "vm1", "edition": "vWS", "client_time": "yesterday"})", "invalid_request",
       "client_time"},
      {"invalid UTF-8",
       "{\"client_id\": \"vm1\", \"edition\": \"vWS\", \"hostname\": \"\xC3\x28\"}",
       "invalid_request", ""},
      {"deeply nested JSON",
       R"({"client_id": "vm1", "edition": "vWS", "x": )" + std::string(5000, '[') +
           std::string(5000, ']') + "}",
       "invalid_request", ""},
      {"an empty body", "", "invalid_request", ""},
  };
  for (const auto& bad : cases) {
    INFO(bad.what);
    auto raw = c->request("POST", "/v1/leases", bad.body);
    REQUIRE(std::holds_alternative<vgls::client::http_response>(raw));
    const auto& answer = std::get<vgls::client::http_response>(raw);
    auto body = json::parse(answer.body, nullptr, false);
    CHECK(answer.status == 400);
    REQUIRE(body.is_object());
    CHECK(body["error"]["code"] == bad.code);
    CHECK(body["error"]["message"].is_string());
    if (!bad.field.empty()) {
      CHECK(body["error"].value("field", "") == bad.field);
    }
  }
  auto pools = call_json(*admin, "GET", "/v1/pools");
  for (const auto& p : pools.body["pools"])
    CHECK(p["used"] == 0);
  CHECK(call_json(*admin, "GET", "/v1/leases").body["total"] == 0);
}

TEST_CASE("bad pool bodies name the field", "[e2e][bad_input]") {
  vglsd_process server(configured(no_trial()));
  auto admin = server.admin_client();
  auto field_of = [&](const json& body) {
    auto r = create_pool(*admin, body);
    CHECK(r.status == 400);
    return r.body["error"].value("field", "");
  };
  CHECK(field_of({{"id", "Bad Id"}, {"edition", "vWS"}, {"seats", 1}, {"kind", "perpetual"}}) ==
        "id");
  CHECK(field_of({{"id", "p"}, {"edition", "vWS"}, {"seats", -1}, {"kind", "perpetual"}}) ==
        "seats");
  CHECK(field_of({{"id", "p"}, {"edition", "vWS"}, {"seats", 10'000'001}, {"kind", "perpetual"}}) ==
        "seats");
  CHECK(field_of({{"id", "p"}, {"edition", "vWS"}, {"seats", 1}, {"kind", "forever"}}) == "kind");
  // Numbers beyond 64 bits or any double are the field's fault, not malformed JSON.
  for (const char* seats : {"9223372036854775808", "1e400", "-1e400"}) {
    INFO(seats);
    auto raw = std::get<vgls::client::http_response>(admin->request(
        "POST", "/v1/pools",
        std::string(R"({"id":"p","edition":"vWS","kind":"perpetual","seats":)") + seats + "}"));
    CHECK(raw.status == 400);
    CHECK(json::parse(raw.body)["error"]["field"] == "seats");
  }
  CHECK(call_json(*admin, "GET", "/v1/pools").body["pools"].empty());
}

TEST_CASE("lease ids that are not ids are lease_not_found", "[e2e][bad_input]") {
  vglsd_process server;
  auto c = server.client();
  for (const std::string& id :
       std::vector<std::string>{"x", "lse_short", "..", "lse_%00%00", "%F0%9F%92%A9",
                                "lse_" + std::string(300, 'a') + "!"}) {
    INFO(id);
    CHECK(error_code_of(call_json(*c, "GET", "/v1/leases/" + id)) == "lease_not_found");
    CHECK(error_code_of(call_json(*c, "DELETE", "/v1/leases/" + id)) == "lease_not_found");
    CHECK(error_code_of(call_json(*c, "POST", "/v1/leases/" + id + "/renew")) == "lease_not_found");
  }
}

TEST_CASE("wrong content types are 415; JSON with a charset is fine", "[e2e][bad_input]") {
  vglsd_process server;
  auto c = server.client();
  const std::string body = R"({"client_id": "vm1", "edition": "vWS"})";
  for (auto type : {"text/plain", "application/x-www-form-urlencoded", "application/jsonx", ""}) {
    INFO(type);
    auto raw = std::get<vgls::client::http_response>(c->request("POST", "/v1/leases", body, type));
    CHECK(raw.status == 415);
    CHECK(json::parse(raw.body)["error"]["code"] == "unsupported_media_type");
  }
  auto ok = std::get<vgls::client::http_response>(
      c->request("POST", "/v1/leases", body, "Application/JSON; charset=utf-8"));
  CHECK(ok.status == 201);
}

TEST_CASE("an oversized body is 413 and closes only that connection", "[e2e][bad_input]") {
  vglsd_process server(configured("[server]\nmax_body_bytes = 1024\n"));
  auto c = server.client();
  const std::string big =
      R"({"client_id": "vm1", "edition": "vWS", "pad": ")" + std::string(2000, 'x') + "\"}";
  auto r = call_json(*c, "POST", "/v1/leases", json::parse(big));
  CHECK(r.status == 413);
  CHECK(error_code_of(r) == "payload_too_large");
  // Route first: the same body to no route is 404.
  CHECK(call_json(*c, "POST", "/v1/nothing", json::parse(big)).status == 404);

  // A chunked body that grows past the limit is caught too.
  raw_socket s(server.port());
  std::string chunked =
      "POST /v1/leases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i)
    chunked += "200\r\n" + std::string(512, ' ') + "\r\n";
  chunked += "0\r\n\r\n";
  s.send(chunked);
  CHECK(s.read_until_close(5s).find("HTTP/1.1 413") == 0);

  CHECK(checkout(*server.client(), "vm1", "vWS").status == 201);
}

TEST_CASE("random bytes and garbage on the socket do not hurt others", "[e2e][bad_input]") {
  vglsd_process server;
  std::mt19937 random(42);
  for (int round = 0; round < 20; ++round) {
    raw_socket s(server.port());
    std::string noise(1 + random() % 4096, '\0');
    for (auto& ch : noise)
      ch = static_cast<char>(random());
    s.send(noise);
    s.send("\r\n\r\n");
    CHECK(s.closed_by_peer(10s));
  }
  {
    raw_socket s(server.port());
    s.send("GARBAGE / HTTP/9.9\r\n\r\n");
    auto answer = s.read_until_close(5s);
    CHECK(answer.find("HTTP/1.1 400") == 0);
    CHECK(answer.find("invalid_request") != std::string::npos);
  }
  {
    // A head over the limit.
    raw_socket s(server.port());
    s.send("GET /healthz HTTP/1.1\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n");
    CHECK(s.closed_by_peer(10s));
  }
  CHECK(checkout(*server.client(), "vm1", "vWS").status == 201);
}

TEST_CASE("a client that sends half a request and stalls does not block others",
          "[e2e][bad_input]") {
  vglsd_process server(configured("[server]\nrequest_timeout = \"2s\"\n"));
  raw_socket stalled_head(server.port());
  stalled_head.send("POST /v1/leases HTTP/1.1\r\nHost: x\r\nContent-Ty");
  raw_socket stalled_body(server.port());
  stalled_body.send(
      "POST /v1/leases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 100\r\n\r\n{\"client_id\":");

  auto c = server.client();
  for (int i = 0; i < 10; ++i) {
    CHECK(checkout(*c, "vm-" + std::to_string(i), "vWS").status == 201);
  }
  // The stalled ones are cut off at server.request_timeout, and nothing was checked out for them.
  CHECK(stalled_head.closed_by_peer(10s));
  CHECK(stalled_body.closed_by_peer(10s));
  CHECK(used_of(*server.admin_client(), "trial-vws") == 10);
}
