// Admin reads: lease listing, events and usage.
#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "tests/storage/store_fixture.h"

using namespace vgls;
using namespace vgls::storage;
using namespace vgls::storage::testing;
using protocol::edition;
using protocol::error_code;

namespace {

// Every page of `query`, in order; each page must report `total` matches.
std::vector<protocol::lease> every_page(store_under_test& s, protocol::lease_query query,
                                        std::int64_t total) {
  std::vector<protocol::lease> leases;
  for (;;) {
    auto page = s.list_leases(query);
    REQUIRE(page);
    CHECK(page->total == total);
    leases.insert(leases.end(), page->leases.begin(), page->leases.end());
    if (!page->next) {
      return leases;
    }
    query.after = page->next;
  }
}

}  // namespace

TEST_CASE("list_leases filters, pages by cursor and counts the total", "[storage][leases]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("app", edition::vapp, 100, t0 + 86400)));
  REQUIRE(s.create_pool(pool_of("ws", edition::vws, 100, t0 + 86400)));
  for (int i = 0; i < 25; ++i) {
    auto request = checkout_of("c" + std::to_string(i), i % 5 == 0 ? edition::vws : edition::vapp);
    request.hostname = (i < 10 ? "lab-" : "office-") + std::to_string(i);
    REQUIRE(s.checkout(request));
  }

  protocol::lease_query all;
  all.limit = 10;
  std::set<std::string> seen;
  std::vector<std::string> hostnames;
  for (const auto& lease : every_page(s, all, 25)) {
    seen.insert(lease.id);
    hostnames.push_back(*lease.hostname);
  }
  CHECK(seen.size() == 25);
  REQUIRE(hostnames.size() == 25);
  CHECK(hostnames.front() == "lab-0");  // issue order
  CHECK(hostnames.back() == "office-24");

  protocol::lease_query bad_cursor;
  bad_cursor.after = "not-a-cursor";
  CHECK(s.list_leases(bad_cursor).error().field() == "after");

  protocol::lease_query by_pool;
  by_pool.pool_id = "ws";
  CHECK(s.list_leases(by_pool)->total == 5);
  CHECK(s.list_leases(by_pool)->leases.size() == 5);

  protocol::lease_query by_edition;
  by_edition.edition = edition::vapp;
  CHECK(s.list_leases(by_edition)->total == 20);

  protocol::lease_query by_host;
  by_host.hostname_prefix = "lab-";
  CHECK(s.list_leases(by_host)->total == 10);
  by_host.edition = edition::vws;
  CHECK(s.list_leases(by_host)->total == 2);

  protocol::lease_query by_client;
  by_client.client_id = "c7";
  auto one = s.list_leases(by_client);
  REQUIRE(one->leases.size() == 1);
  CHECK(one->leases[0].hostname == "lab-7");
  CHECK(one->total == 1);

  protocol::lease_query bad;
  bad.limit = 0;
  CHECK(s.list_leases(bad).error().code() == error_code::invalid_request);
}

TEST_CASE("list_leases filters by what clients say now, also after a reopen", "[storage][leases]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("app", edition::vapp, 100, t0 + 86400)));
  REQUIRE(s.create_pool(pool_of("ws", edition::vws, 100, t0 + 86400)));
  for (int i = 0; i < 12; ++i) {
    auto request = checkout_of("c" + std::to_string(i), i % 2 == 0 ? edition::vws : edition::vapp);
    request.hostname = "rack1-" + std::to_string(i);
    REQUIRE(s.checkout(request));
  }
  // An idempotent checkout replaces what the client said of itself, hostname included.
  auto moved = checkout_of("c3", edition::vapp);
  moved.hostname = "rack2-3";
  REQUIRE_FALSE(s.checkout(moved)->created);
  auto silent = checkout_of("c4", edition::vws);
  REQUIRE_FALSE(s.checkout(silent)->created);  // no hostname any more

  auto check = [&] {
    protocol::lease_query rack1;
    rack1.hostname_prefix = "rack1-";
    rack1.limit = 4;
    std::vector<std::string> clients;
    for (const auto& lease : every_page(s, rack1, 10)) {
      clients.push_back(lease.client_id);
    }
    CHECK(clients ==
          std::vector<std::string>{"c0", "c1", "c2", "c5", "c6", "c7", "c8", "c9", "c10", "c11"});

    protocol::lease_query rack2;
    rack2.hostname_prefix = "rack2-";
    auto page = s.list_leases(rack2);
    REQUIRE(page->leases.size() == 1);
    CHECK(page->leases[0].hostname == "rack2-3");

    protocol::lease_query client_elsewhere;
    client_elsewhere.client_id = "c3";
    client_elsewhere.pool_id = "ws";  // c3 holds a vApp lease
    CHECK(s.list_leases(client_elsewhere)->total == 0);
    CHECK(s.list_leases(client_elsewhere)->leases.empty());
    client_elsewhere.pool_id = "app";
    CHECK(s.list_leases(client_elsewhere)->total == 1);
  };
  check();
  s.reopen();
  check();
}

TEST_CASE("list_leases shows active leases only", "[storage][leases]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 10, t0 + 86400)));
  REQUIRE(s.checkout("old", edition::vapp));
  s.clock().advance(3000);
  REQUIRE(s.checkout("new", edition::vapp));
  s.clock().advance(600);
  auto page = s.list_leases({});
  REQUIRE(page->leases.size() == 1);
  CHECK(page->leases[0].client_id == "new");
  CHECK(page->total == 1);
  protocol::lease_query by_client;
  by_client.client_id = "old";
  CHECK(s.list_leases(by_client)->total == 0);
}

TEST_CASE("list_events pages ascending by id and filters by type", "[storage][events]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 10, t0 + 86400)));
  for (int i = 0; i < 7; ++i) {
    REQUIRE(s.checkout("c" + std::to_string(i), edition::vapp));
  }
  protocol::event_query query;
  query.type = "lease.granted";
  query.limit = 3;
  std::vector<std::int64_t> ids;
  for (;;) {
    auto page = s.list_events(query);
    REQUIRE(page);
    for (const auto& event : page->events) {
      CHECK(event.type == "lease.granted");
      CHECK(event.pool_id == "p");
      CHECK(event.edition == edition::vapp);
      CHECK(event.at == t0);
      ids.push_back(event.id);
    }
    if (!page->next) {
      break;
    }
    CHECK(*page->next == ids.back());
    query.after = *page->next;
  }
  REQUIRE(ids.size() == 7);
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(s.events_of_type("server.started").size() == 1);
  CHECK(s.events_of_type("pool.created").size() == 1);
  CHECK(s.facts()->last_event_id == ids.back());
  s.reopen();  // records server.started
  CHECK(s.facts()->last_event_id == ids.back() + 1);
}

TEST_CASE("usage counts peak, grants and denials in the open minute", "[storage][usage]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vws, 5, t0 + 86400)));
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(s.checkout("c" + std::to_string(i), edition::vws)->lease.id);
  }
  for (int i = 0; i < 3; ++i) {
    REQUIRE(s.release(ids[static_cast<std::size_t>(i)]));
  }
  CHECK(s.checkout("x", edition::vpc));  // upgrade: counted as a vWS grant
  REQUIRE(s.checkout("y", edition::vws));
  REQUIRE(s.checkout("y2", edition::vws));
  CHECK(s.checkout("z", edition::vws).error().code() == error_code::no_seat_available);

  protocol::usage_query query;
  query.from = t0 - 3600;
  query.to = t0 + 60;
  query.bucket_seconds = 60;
  query.edition = edition::vws;
  auto buckets = s.usage(query);
  REQUIRE(buckets);
  REQUIRE(buckets->size() == 61);
  const auto& current = buckets->back();
  CHECK(current.start == t0);
  CHECK(current.peak_used == 5);
  CHECK(current.granted == 8);
  CHECK(current.denied == 1);
  CHECK(current.seats == 5);
  CHECK(buckets->front().peak_used == 0);
}

TEST_CASE("usage up to now counts a grant made in the first second of the open minute",
          "[storage][usage]") {
  // `to` is exclusive, so "up to now" must end after the current second (the request decoder,
  // the status page and vglsctl ask for now + 1): a report ending at now itself leaves out the
  // open minute, and with it every grant made since the minute began.
  store_under_test s;
  REQUIRE(t0 % 60 == 0);
  REQUIRE(s.create_pool(pool_of("p", edition::vpc, 3, t0 + 86400)));
  REQUIRE(s.checkout("first-second", edition::vpc));

  protocol::usage_query query;
  query.from = t0 - 7200;
  query.bucket_seconds = 3600;
  query.edition = edition::vpc;
  query.to = t0 + 1;
  auto through_now = s.usage(query);
  REQUIRE(through_now);
  REQUIRE_FALSE(through_now->empty());
  CHECK(through_now->back().start == t0);
  CHECK(through_now->back().granted == 1);
  CHECK(through_now->back().seats == 3);

  query.to = t0;
  auto before_now = s.usage(query);
  REQUIRE(before_now);
  for (const auto& bucket : *before_now) {
    CHECK(bucket.granted == 0);
  }
}

TEST_CASE("usage rolls closed minutes into hours and days", "[storage][usage]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vpc, 10, t0 + 30 * 86400)));
  for (int i = 0; i < 4; ++i) {
    REQUIRE(s.checkout("c" + std::to_string(i), edition::vpc));
  }
  s.clock().advance(120);
  REQUIRE(s.checkout("late", edition::vpc));
  s.clock().advance(3600);  // every lease above has expired now
  REQUIRE(s.facts());       // a batch in the new minute closes the old ones

  protocol::usage_query hourly;
  hourly.from = t0;
  hourly.to = t0 + 7200;
  hourly.bucket_seconds = 3600;
  hourly.edition = edition::vpc;
  auto hours = s.usage(hourly);
  REQUIRE(hours);
  REQUIRE(hours->size() == 2);
  CHECK((*hours)[0].start == t0);
  CHECK((*hours)[0].granted == 5);
  CHECK((*hours)[0].peak_used == 5);
  CHECK((*hours)[0].seats == 10);

  protocol::usage_query daily = hourly;
  daily.bucket_seconds = 86400;
  daily.from = t0 - 86400;
  auto days = s.usage(daily);
  REQUIRE(days);
  REQUIRE(days->size() == 2);
  CHECK(days->back().granted == 5);
  CHECK(days->back().peak_used == 5);

  s.reopen();
  auto again = s.usage(hourly);
  CHECK((*again)[0].granted == 5);
}

TEST_CASE("usage refuses absurd queries", "[storage][usage]") {
  store_under_test s;
  protocol::usage_query query;
  query.from = t0 - 400 * 86400;
  query.to = t0;
  query.bucket_seconds = 60;
  CHECK(s.usage(query).error().code() == error_code::invalid_request);
  query.bucket_seconds = 7;
  CHECK(s.usage(query).error().code() == error_code::invalid_request);
  query.bucket_seconds = 86400;
  CHECK(s.usage(query));
}

TEST_CASE("events and usage older than their retention are deleted", "[storage][retention]") {
  store_under_test s;
  s.options().retention.events_days = 1;
  s.options().retention.usage_days = 1;
  s.reopen();
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 5, t0 + 30 * 86400)));
  REQUIRE(s.checkout("a", edition::vapp));
  s.clock().advance(2 * 86400);
  REQUIRE(s.checkout("b", edition::vapp));  // closes the old minute, records a new event
  s.reopen();                               // retention runs at the first sweep after open
  std::size_t granted = 0;
  for (int attempt = 0; attempt < 100; ++attempt) {
    granted = s.events_of_type("lease.granted").size();
    if (granted == 1) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(granted == 1);
  CHECK(s.events_of_type("pool.created").empty());

  protocol::usage_query query;
  query.from = t0 - 86400;
  query.to = t0 + 86400;
  query.bucket_seconds = 86400;
  query.edition = edition::vapp;
  auto days = s.usage(query);
  REQUIRE(days);
  for (const auto& day : *days) {
    CHECK(day.granted == 0);
  }
}
