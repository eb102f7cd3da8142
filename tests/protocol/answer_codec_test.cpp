#include "protocol/answer_codec.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace vgls::protocol;
using nlohmann::json;

namespace {

lease sample_lease() {
  lease l;
  l.id = "lse_3q2kAAAAAAAAAAAAAAAAAAAA";
  l.client_id = "4c4c4544-0042-3510-8052-b4c04f4e4d32";
  l.requested_edition = edition::vpc;
  l.granted_edition = edition::vws;
  l.pool_id = "trial-vws";
  l.issued_at = 1795514400;
  l.renewed_at = 1795514400 + 60;
  l.expires_at = 1795514400 + 86400;
  l.ttl_seconds = 86400;
  l.renew_after_seconds = 12960;
  l.hostname = "vdi-017";
  l.vgpu_profile = "GRID P40-2B";
  l.labels = {{"pool", "finance"}};
  return l;
}

pool_view sample_pool() {
  pool_view v;
  v.pool.id = "vws-main";
  v.pool.edition = edition::vws;
  v.pool.seats = 120;
  v.pool.kind = pool_kind::subscription;
  v.pool.starts_at = 1795514400;
  v.pool.expires_at = 1795514400 + 10 * 86400;
  v.used = 7;
  v.state = pool_state::active;
  v.days_left = 10;
  return v;
}

event sample_event() {
  event e;
  e.id = 42;
  e.at = 1795514400;
  e.type = "lease.granted";
  e.pool_id = "trial-vws";
  e.lease_id = "lse_3q2kAAAAAAAAAAAAAAAAAAAA";
  e.client_id = "vm1";
  e.edition = edition::vws;
  e.detail = {{"requested_edition", "vPC"}};
  return e;
}

void check_same(const lease& a, const lease& b) {
  CHECK(a.id == b.id);
  CHECK(a.client_id == b.client_id);
  CHECK(a.requested_edition == b.requested_edition);
  CHECK(a.granted_edition == b.granted_edition);
  CHECK(a.pool_id == b.pool_id);
  CHECK(a.issued_at == b.issued_at);
  CHECK(a.renewed_at == b.renewed_at);
  CHECK(a.expires_at == b.expires_at);
  CHECK(a.ttl_seconds == b.ttl_seconds);
  CHECK(a.renew_after_seconds == b.renew_after_seconds);
  CHECK(a.hostname == b.hostname);
  CHECK(a.vgpu_profile == b.vgpu_profile);
  CHECK(a.labels == b.labels);
  CHECK(a.client_clock_skew_seconds == b.client_clock_skew_seconds);
  CHECK(a.token == b.token);
}

void check_same(const pool_view& a, const pool_view& b) {
  CHECK(a.pool.id == b.pool.id);
  CHECK(a.pool.edition == b.pool.edition);
  CHECK(a.pool.seats == b.pool.seats);
  CHECK(a.pool.kind == b.pool.kind);
  CHECK(a.pool.starts_at == b.pool.starts_at);
  CHECK(a.pool.expires_at == b.pool.expires_at);
  CHECK(a.used == b.used);
  CHECK(a.state == b.state);
  CHECK(a.days_left == b.days_left);
}

}  // namespace

TEST_CASE("a lease has the SPEC field names: edition is the granted one") {
  const json j = to_json(sample_lease());
  CHECK(j.at("id") == "lse_3q2kAAAAAAAAAAAAAAAAAAAA");
  CHECK(j.at("requested_edition") == "vPC");
  CHECK(j.at("edition") == "vWS");
  CHECK(j.at("pool_id") == "trial-vws");
  CHECK(j.at("issued_at") == "2026-11-24T10:00:00Z");
  CHECK(j.at("renewed_at") == "2026-11-24T10:01:00Z");
  CHECK(j.at("expires_at") == "2026-11-25T10:00:00Z");
  CHECK(j.at("ttl_seconds") == 86400);
  CHECK(j.at("renew_after_seconds") == 12960);
  CHECK(j.at("hostname") == "vdi-017");
  CHECK(j.at("vgpu_profile") == "GRID P40-2B");
  CHECK(j.at("labels") == json{{"pool", "finance"}});
  CHECK_FALSE(j.contains("token"));
  CHECK_FALSE(j.contains("client_clock_skew_seconds"));
  CHECK_FALSE(j.contains("granted_edition"));
}

TEST_CASE("absent lease optionals are null, labels {}: token and skew appear when known") {
  lease l = sample_lease();
  l.hostname.reset();
  l.vgpu_profile.reset();
  l.labels.clear();
  json j = to_json(l);
  CHECK(j.at("hostname").is_null());
  CHECK(j.at("vgpu_profile").is_null());
  CHECK(j.at("labels") == json::object());

  l.token = "signed";
  l.client_clock_skew_seconds = -30;
  j = to_json(l);
  CHECK(j.at("token") == "signed");
  CHECK(j.at("client_clock_skew_seconds") == -30);
}

TEST_CASE("a lease answer round-trips") {
  for (bool full : {false, true}) {
    lease l = sample_lease();
    if (full) {
      l.token = "tok";
      l.client_clock_skew_seconds = 12;
    } else {
      l.hostname.reset();
      l.vgpu_profile.reset();
      l.labels.clear();
    }
    const std::string body = encode_lease_answer(l);
    CHECK(json::parse(body).contains("lease"));
    const auto decoded = decode_lease_answer(body);
    REQUIRE(decoded.is_ok());
    check_same(*decoded, l);
  }
}

TEST_CASE("a lease answer is exactly nlohmann's text of {\"lease\": to_json(lease)}") {
  const std::vector<std::string> texts = {"plain",           "",        "quote\" back\\slash",
                                          "ctl\x01\n\t\x1f", "del\x7f", "caf\xc3\xa9 \xe2\x82\xac",
                                          "bad \xff utf-8",  "/slash"};
  for (const auto& text : texts) {
    for (bool full : {false, true}) {
      CAPTURE(text, full);
      lease l = sample_lease();
      l.client_id = text;
      l.pool_id = text;
      l.id = "lse_" + text;
      if (full) {
        l.token = text;
        l.client_clock_skew_seconds = -30;
        l.hostname = text;
        l.labels = {{text, text}, {"a", "b"}, {"z" + text, ""}};
        l.ttl_seconds = 9223372036854775807LL;
        l.renew_after_seconds = -1;
        l.expires_at = 253402300799;
      } else {
        l.hostname.reset();
        l.vgpu_profile.reset();
        l.labels.clear();
        l.issued_at = -1;
        l.renewed_at = 0;
      }
      const json expected = {{"lease", to_json(l)}};
      CHECK(encode_lease_answer(l) ==
            expected.dump(-1, ' ', false, json::error_handler_t::replace));
      // The reader walks the same members: what is written comes back.
      if (text == "plain") {
        const auto back = decode_lease_answer(encode_lease_answer(l));
        REQUIRE(back.is_ok());
        CHECK(back->token == l.token);
        CHECK(back->client_clock_skew_seconds == l.client_clock_skew_seconds);
        CHECK(back->hostname == l.hostname);
        CHECK(back->labels == l.labels);
        CHECK(back->ttl_seconds == l.ttl_seconds);
        CHECK(to_json(*back) == to_json(l));
      }
    }
  }
}

TEST_CASE("a pool view flattens the pool and adds used, state, days_left") {
  const json j = to_json(sample_pool());
  CHECK(j == json{{"id", "vws-main"},
                  {"edition", "vWS"},
                  {"seats", 120},
                  {"used", 7},
                  {"kind", "subscription"},
                  {"starts_at", "2026-11-24T10:00:00Z"},
                  {"expires_at", "2026-12-04T10:00:00Z"},
                  {"state", "active"},
                  {"days_left", 10}});

  pool_view perpetual = sample_pool();
  perpetual.pool.kind = pool_kind::perpetual;
  perpetual.pool.expires_at.reset();
  perpetual.days_left.reset();
  perpetual.state = pool_state::not_started;
  const json p = to_json(perpetual);
  CHECK(p.at("expires_at").is_null());
  CHECK(p.at("days_left").is_null());
  CHECK(p.at("state") == "not_started");
  CHECK(p.at("kind") == "perpetual");
}

TEST_CASE("pool answers round-trip") {
  pool_view expired = sample_pool();
  expired.state = pool_state::expired;
  expired.days_left = 0;
  pool_view perpetual = sample_pool();
  perpetual.pool.id = "perp";
  perpetual.pool.kind = pool_kind::perpetual;
  perpetual.pool.expires_at.reset();
  perpetual.days_left.reset();

  const auto one = decode_pool_answer(encode_pool_answer(expired));
  REQUIRE(one.is_ok());
  check_same(*one, expired);

  const auto many = decode_pools_answer(encode_pools_answer({expired, perpetual}));
  REQUIRE(many.is_ok());
  REQUIRE(many->size() == 2);
  check_same((*many)[0], expired);
  check_same((*many)[1], perpetual);

  const auto none = decode_pools_answer(encode_pools_answer({}));
  REQUIRE(none.is_ok());
  CHECK(none->empty());
  CHECK(json::parse(encode_pools_answer({})) == json{{"pools", json::array()}});
}

TEST_CASE("a lease page round-trips with next and total") {
  lease_page page;
  page.leases = {sample_lease(), sample_lease()};
  page.leases[1].id = "lse_BBBBBBBBBBBBBBBBBBBBBB";
  page.next = "cursor-1";
  page.total = 57;
  const json j = json::parse(encode_lease_page(page));
  CHECK(j.at("next") == "cursor-1");
  CHECK(j.at("total") == 57);
  CHECK(j.at("leases").size() == 2);

  const auto decoded = decode_lease_page(encode_lease_page(page));
  REQUIRE(decoded.is_ok());
  REQUIRE(decoded->leases.size() == 2);
  check_same(decoded->leases[1], page.leases[1]);
  CHECK(decoded->next == "cursor-1");
  CHECK(decoded->total == 57);

  lease_page last;
  CHECK(json::parse(encode_lease_page(last)).at("next").is_null());
  const auto decoded_last = decode_lease_page(encode_lease_page(last));
  REQUIRE(decoded_last.is_ok());
  CHECK_FALSE(decoded_last->next.has_value());
}

TEST_CASE("events have the SPEC fields and round-trip") {
  event bare;
  bare.id = 1;
  bare.at = 1795514400;
  bare.type = "server.started";
  const json j = to_json(bare);
  CHECK(j == json{{"id", 1},
                  {"at", "2026-11-24T10:00:00Z"},
                  {"type", "server.started"},
                  {"pool_id", nullptr},
                  {"lease_id", nullptr},
                  {"client_id", nullptr},
                  {"edition", nullptr},
                  {"detail", json::object()}});

  event_page page;
  page.events = {bare, sample_event()};
  page.next = 42;
  const auto decoded = decode_events_answer(encode_events_answer(page));
  REQUIRE(decoded.is_ok());
  REQUIRE(decoded->events.size() == 2);
  CHECK(decoded->next == 42);
  const event& e = decoded->events[1];
  CHECK(e.id == 42);
  CHECK(e.at == 1795514400);
  CHECK(e.type == "lease.granted");
  CHECK(e.pool_id == "trial-vws");
  CHECK(e.lease_id == "lse_3q2kAAAAAAAAAAAAAAAAAAAA");
  CHECK(e.client_id == "vm1");
  CHECK(e.edition == edition::vws);
  CHECK(e.detail == json{{"requested_edition", "vPC"}});
  CHECK_FALSE(decoded->events[0].edition.has_value());

  CHECK(json::parse(encode_events_answer({})).at("next").is_null());
}

TEST_CASE("usage buckets round-trip") {
  usage_bucket b;
  b.start = 1795514400;
  b.edition = edition::vcs;
  b.peak_used = 5;
  b.seats = 16;
  b.granted = 9;
  b.denied = 2;
  CHECK(to_json(b) == json{{"start", "2026-11-24T10:00:00Z"},
                           {"edition", "vCS"},
                           {"peak_used", 5},
                           {"seats", 16},
                           {"granted", 9},
                           {"denied", 2}});
  const auto decoded = decode_usage_answer(encode_usage_answer({b}));
  REQUIRE(decoded.is_ok());
  REQUIRE(decoded->size() == 1);
  CHECK((*decoded)[0].start == b.start);
  CHECK((*decoded)[0].edition == b.edition);
  CHECK((*decoded)[0].peak_used == 5);
  CHECK((*decoded)[0].seats == 16);
  CHECK((*decoded)[0].granted == 9);
  CHECK((*decoded)[0].denied == 2);
}

TEST_CASE("server info round-trips") {
  server_info s;
  s.version = "0.1.0";
  s.uptime_seconds = 3600;
  s.storage_backend = "sqlite";
  s.time = 1795514400;
  s.clock_high_water = 1795514400 + 600;
  s.clock_rollback = true;
  s.leases_active = 12;
  s.pools = 4;
  const json j = json::parse(encode_server_answer(s));
  CHECK(j.at("clock_high_water") == "2026-11-24T10:10:00Z");
  CHECK(j.at("clock_rollback") == true);
  const auto decoded = decode_server_answer(encode_server_answer(s));
  REQUIRE(decoded.is_ok());
  CHECK(decoded->version == "0.1.0");
  CHECK(decoded->uptime_seconds == 3600);
  CHECK(decoded->storage_backend == "sqlite");
  CHECK(decoded->time == s.time);
  CHECK(decoded->clock_high_water == s.clock_high_water);
  CHECK(decoded->clock_rollback);
  CHECK(decoded->leases_active == 12);
  CHECK(decoded->pools == 4);
}

TEST_CASE("answer decoders tolerate extra fields") {
  json body = json::parse(encode_lease_answer(sample_lease()));
  body["lease"]["future_field"] = {1, 2, 3};
  body["also"] = "ignored";
  const auto decoded = decode_lease_answer(body.dump());
  REQUIRE(decoded.is_ok());
  check_same(*decoded, sample_lease());
}

TEST_CASE("answer decoders refuse malformed answers without throwing") {
  for (const char* body : {"", "garbage", "[]", "{}", "{\"lease\":null}", "{\"lease\":[]}",
                           "{\"lease\":{\"id\":\"x\"}}"}) {
    CAPTURE(body);
    const auto decoded = decode_lease_answer(body);
    REQUIRE_FALSE(decoded.is_ok());
    CHECK(decoded.error().code() == error_code::internal_error);
  }
  json bad_time = to_json(sample_lease());
  bad_time["expires_at"] = "tomorrow";
  CHECK_FALSE(decode_lease(bad_time).is_ok());
  json bad_edition = to_json(sample_lease());
  bad_edition["edition"] = "gold";
  CHECK_FALSE(decode_lease(bad_edition).is_ok());
  json bad_labels = to_json(sample_lease());
  bad_labels["labels"] = {{"k", 1}};
  CHECK_FALSE(decode_lease(bad_labels).is_ok());
  json bad_kind = to_json(sample_pool());
  bad_kind["kind"] = "forever";
  CHECK_FALSE(decode_pool_view(bad_kind).is_ok());
  json bad_state = to_json(sample_pool());
  bad_state["state"] = "sleeping";
  CHECK_FALSE(decode_pool_view(bad_state).is_ok());
  json bad_seats = to_json(sample_pool());
  bad_seats["seats"] = "many";
  CHECK_FALSE(decode_pool_view(bad_seats).is_ok());
  CHECK_FALSE(decode_pools_answer("{\"pools\":{}}").is_ok());
  CHECK_FALSE(decode_events_answer("{\"events\":[{\"id\":\"one\"}],\"next\":null}").is_ok());
  CHECK_FALSE(decode_usage_answer("{\"buckets\":[1]}").is_ok());
  CHECK_FALSE(decode_server_answer("{\"version\":1}").is_ok());
  CHECK_FALSE(decode_lease(json(nullptr)).is_ok());
  CHECK_FALSE(decode_event(json::array()).is_ok());
}

TEST_CASE("encoding never throws on strings that are not UTF-8") {
  lease l = sample_lease();
  l.hostname = "bad\xFF";
  const std::string body = encode_lease_answer(l);
  CHECK(json::parse(body).at("lease").at("hostname") == "bad\xEF\xBF\xBD");
}

TEST_CASE("the usage answer, written directly, is the text of its JSON value",
          "[protocol][usage]") {
  CHECK(encode_usage_answer({}) == R"({"buckets":[]})");
  std::vector<usage_bucket> buckets;
  nlohmann::json expected = {{"buckets", nlohmann::json::array()}};
  for (int i = 0; i < 8; ++i) {
    usage_bucket b;
    b.start = 1'764'633'600 + i * 86400;
    b.edition = all_editions[static_cast<std::size_t>(i % 4)];
    b.peak_used = i * 3;
    b.seats = 10'000'000 - i;
    b.granted = i * 1000;
    b.denied = i;
    buckets.push_back(b);
    expected["buckets"].push_back({{"start", format_rfc3339(b.start)},
                                   {"edition", std::string(to_string(b.edition))},
                                   {"peak_used", b.peak_used},
                                   {"seats", b.seats},
                                   {"granted", b.granted},
                                   {"denied", b.denied}});
  }
  CHECK(encode_usage_answer(buckets) == expected.dump());
}
