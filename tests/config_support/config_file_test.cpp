#include "config_support/config_file.h"

#include <catch2/catch.hpp>
#include <stdexcept>

#include "protocol/time.h"

using namespace vgls::config;
using vgls::protocol::parse_rfc3339;
using vgls::protocol::status;

namespace {

config_document parsed(std::string_view text) {
  auto document = config_document::parse(text, "test.toml");
  INFO((document ? std::string() : document.error().message()));
  REQUIRE(document);
  return *document;
}

// The value of `key` at the top level of `text`.
config_value value_of(const config_document& document, std::string_view key) {
  for (const auto& value : document.root().entries()) {
    if (value.key() == key) {
      return value;
    }
  }
  FAIL("no key " << key);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a syntax error names the file, line and column") {
  auto document = config_document::parse("a = 1\nb = \n", "test.toml");
  REQUIRE_FALSE(document);
  CHECK(document.error().message().find("test.toml:2:") == 0);
  CHECK(document.error().message().find("not valid TOML") != std::string::npos);
}

TEST_CASE("a missing file is an error naming it") {
  auto document = config_document::load("/nonexistent/x.toml");
  REQUIRE_FALSE(document);
  CHECK(document.error().message().find("/nonexistent/x.toml: cannot read") == 0);
}

TEST_CASE("key tables read each key by its rule, in the order of the file") {
  auto document = parsed("b = 2\na = 1\n[t]\nc = true\n");
  std::vector<std::string> order;
  std::int64_t a = 0, b = 0;
  bool c = false;
  auto s =
      read_keys(document.root(), {{"a",
                                   [&](const config_value& v) {
                                     order.push_back(v.key());
                                     return assign(v.integer(0, 9), a);
                                   }},
                                  {"b",
                                   [&](const config_value& v) {
                                     order.push_back(v.key());
                                     return assign(v.integer(0, 9), b);
                                   }},
                                  {"t", [&](const config_value& v) {
                                     order.push_back(v.key());
                                     auto t = v.table();
                                     if (!t) {
                                       return t.error();
                                     }
                                     return read_keys(*t, {{"c", [&](const config_value& inner) {
                                                              order.push_back(inner.key());
                                                              return assign(inner.boolean(), c);
                                                            }}});
                                   }}});
  REQUIRE(s);
  CHECK(order == std::vector<std::string>{"b", "a", "t", "t.c"});
  CHECK(a == 1);
  CHECK(b == 2);
  CHECK(c);
}

TEST_CASE("an unknown key names its table and line, the nearest key and the known ones") {
  auto document = parsed("[server]\nlisten = \"x\"\nmax_conections = 5\n");
  const auto ignore = [](const config_value&) { return status::ok(); };
  auto server = value_of(document, "server").table();
  REQUIRE(server);
  auto s = read_keys(*server, {{"listen", ignore}, {"max_connections", ignore}});
  REQUIRE_FALSE(s);
  CHECK(s.field() == "server.max_conections");
  CHECK(s.message() ==
        "test.toml:3: server.max_conections: unknown key in [server] (did you mean "
        "max_connections?); known keys: listen, max_connections");

  s = read_keys(*server, {{"listen", ignore}, {"threads", ignore}});
  REQUIRE_FALSE(s);
  CHECK(s.message() ==
        "test.toml:3: server.max_conections: unknown key in [server]; known keys: listen, threads");
}

TEST_CASE("an unknown table is an unknown section, and [[tables]] are named as such") {
  const auto ignore = [](const config_value&) { return status::ok(); };
  auto s = read_keys(parsed("[sever]\nlisten = \"x\"\n").root(), {{"server", ignore}});
  REQUIRE_FALSE(s);
  CHECK(s.message().find("test.toml:1: sever: unknown section at the top level (did you mean "
                         "server?)") == 0);

  auto document = parsed("[[pool]]\nid = \"a\"\n\n[[pool]]\nid = \"b\"\ncolour = \"red\"\n");
  auto pools = value_of(document, "pool").tables();
  REQUIRE(pools);
  REQUIRE(pools->size() == 2);
  CHECK((*pools)[1].line() == 4);
  CHECK((*pools)[1].name() == "[[pool]]");
  s = read_keys((*pools)[1], {{"id", ignore}});
  REQUIRE_FALSE(s);
  CHECK(s.message().find("test.toml:6: pool.colour: unknown key in [[pool]]; known keys: id") == 0);
  s = (*pools)[0].missing("edition");
  CHECK(s.field() == "pool.edition");
  CHECK(s.message() == "test.toml:1: pool.edition: is required in every [[pool]]");
}

TEST_CASE("typed getters turn a wrong type or range into an error naming line and key") {
  auto document = parsed(
      "text = \"hello\"\nempty = \"\"\nflag = true\nnumber = 7\nreal = 0.25\n"
      "when = \"2027-06-30\"\nwords = [\"a\", \"b\"]\nmixed = [\"a\", 1]\n");
  CHECK(value_of(document, "text").string().value() == "hello");
  CHECK(value_of(document, "text").path().value() == "hello");
  CHECK(value_of(document, "flag").boolean().value());
  CHECK(value_of(document, "number").integer(1, 9).value() == 7);
  CHECK(value_of(document, "number").integer().value() == 7);
  CHECK(value_of(document, "number").number().value() == 7.0);
  CHECK(value_of(document, "real").number().value() == 0.25);
  CHECK(value_of(document, "words").string_list().value() == std::vector<std::string>{"a", "b"});
  CHECK(value_of(document, "text").string_list().value() == std::vector<std::string>{"hello"});

  CHECK(value_of(document, "number").string().error().message() ==
        "test.toml:4: number: must be a string");
  CHECK(value_of(document, "empty")
            .path()
            .error()
            .message()
            .find("test.toml:2: empty: must be a "
                  "path") == 0);
  CHECK(value_of(document, "text").boolean().error().message() ==
        "test.toml:1: text: must be true or false");
  CHECK(value_of(document, "number").integer(8, 9).error().message() ==
        "test.toml:4: number: must be an integer from 8 to 9");
  CHECK(value_of(document, "real").integer().error().message() ==
        "test.toml:5: real: must be an integer");
  CHECK(value_of(document, "text").number().error().message() ==
        "test.toml:1: text: must be a number");
  CHECK(value_of(document, "mixed").string_list().error().message() ==
        "test.toml:8: mixed: every entry must be a string");
  CHECK(value_of(document, "text").table().error().field() == "text");
  CHECK(value_of(document, "text").tables().error().message() ==
        "test.toml:1: text: must be written as [[text]] tables");
}

TEST_CASE("durations are written 30s, 15m, 24h, 90d") {
  auto document =
      parsed("a = \"30s\"\nb = \"15m\"\nc = \"24h\"\nd = \"90d\"\ne = \"soon\"\nf = 30\n");
  CHECK(value_of(document, "a").duration(1, 100 * 86400).value() == 30);
  CHECK(value_of(document, "b").duration(1, 100 * 86400).value() == 900);
  CHECK(value_of(document, "c").duration(1, 100 * 86400).value() == 86400);
  CHECK(value_of(document, "d").duration(1, 100 * 86400).value() == 90 * 86400);
  CHECK(value_of(document, "d").duration(1, 30 * 86400).error().message() ==
        "test.toml:4: d: must be from 1s to 30d");
  CHECK(value_of(document, "e").duration(1, 60).error().message() ==
        R"(test.toml:5: e: "soon" is not a duration such as "30s", "15m", "24h", "90d")");
  CHECK(value_of(document, "f").duration(1, 60).error().message() ==
        R"(test.toml:6: f: must be a duration such as "30s", "15m", "24h", "90d")");
}

TEST_CASE("sizes are bytes or a string with a binary unit") {
  auto document = parsed("a = 4096\nb = \"64KiB\"\nc = \"huge\"\nd = \"128MiB\"\ne = true\n");
  CHECK(value_of(document, "a").size(64, 1 << 26).value() == 4096);
  CHECK(value_of(document, "b").size(64, 1 << 26).value() == 65536);
  CHECK(
      value_of(document, "c").size(64, 1 << 26).error().message() ==
      R"(test.toml:3: c: must be an integer number of bytes, or a size such as "64KiB" or "8MiB", not "huge")");
  CHECK(value_of(document, "d").size(64, 1 << 26).error().message() ==
        "test.toml:4: d: must be from 64 bytes to 64MiB");
  CHECK(value_of(document, "e")
            .size(64, 1 << 26)
            .error()
            .message()
            .find("test.toml:5: e: must be an integer number of bytes") == 0);
}

TEST_CASE("times: the forms of parse_time_input as strings, and TOML's own dates") {
  auto document = parsed(
      "a = \"2027-06-30T00:00:00Z\"\nb = \"2027-06-30\"\nc = 2027-06-30T02:00:00+02:00\n"
      "d = 2027-06-30\ne = 2027-06-30T00:00:00\nf = \"30/06/2027\"\ng = 12\n"
      "h = 2027-06-30T00:00:00.5Z\n");
  const auto midnight = parse_rfc3339("2027-06-30T00:00:00Z");
  CHECK(value_of(document, "a").time().value() == midnight);
  CHECK(value_of(document, "b").time().value() == midnight);
  CHECK(value_of(document, "c").time().value() == midnight);
  CHECK(value_of(document, "d").time().value() == midnight);
  CHECK(value_of(document, "h").time().value() == midnight);
  CHECK(value_of(document, "e").time().error().message() ==
        "test.toml:5: e: has no time zone: add Z (UTC) or an offset such as +02:00");
  CHECK(value_of(document, "f")
            .time()
            .error()
            .message()
            .find("test.toml:6: f: \"30/06/2027\" is not an RFC 3339 time") == 0);
  CHECK(value_of(document, "g")
            .time()
            .error()
            .message()
            .find("test.toml:7: g: must be an RFC "
                  "3339 time") == 0);
}

TEST_CASE("one list of log levels, and choices spelt exactly") {
  auto document = parsed("a = \"critical\"\nb = \"verbose\"\nc = \"sqlite\"\nd = \"SQLite\"\n");
  CHECK(value_of(document, "a").log_level().value() == "critical");
  CHECK(value_of(document, "b").log_level().error().message() ==
        "test.toml:2: b: must be one of trace, debug, info, warn, error, critical, off");
  CHECK(value_of(document, "c").one_of({"sqlite", "postgres"}).value() == "sqlite");
  CHECK(value_of(document, "d").one_of({"sqlite", "postgres"}).error().message() ==
        R"(test.toml:4: d: must be "sqlite" or "postgres")");
  CHECK(value_of(document, "d").one_of({"a", "b", "c"}).error().message() ==
        R"(test.toml:4: d: must be one of "a", "b" or "c")");
}

TEST_CASE("a value is found by its dotted key, with its line") {
  auto document = parsed("top = 1\n[server]\n\ntls_cert = \"/a.crt\"\n");
  auto cert = document.find("server.tls_cert");
  REQUIRE(cert);
  CHECK(cert->key() == "server.tls_cert");
  CHECK(cert->where() == "test.toml:4");
  CHECK(document.find("top"));
  CHECK_FALSE(document.find("server.tls_key"));
  CHECK_FALSE(document.find("nothing.here"));
}
