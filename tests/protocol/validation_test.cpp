#include "protocol/validation.h"

#include <catch2/catch.hpp>
#include <string>

using namespace vgls::protocol;

TEST_CASE("client ids are 1-128 characters of A-Z a-z 0-9 . _ : -") {
  CHECK(is_valid_client_id("4c4c4544-0042-3510-8052-b4c04f4e4d32"));
  CHECK(is_valid_client_id("a"));
  CHECK(is_valid_client_id("host.example:vm_1-A"));
  CHECK(is_valid_client_id(std::string(128, 'x')));
  CHECK_FALSE(is_valid_client_id(""));
  CHECK_FALSE(is_valid_client_id(std::string(129, 'x')));
  for (const char* bad : {"a b", "a/b", "a\\b", "é", "a\n", "a;b", "a@b", "{a}"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_client_id(bad));
  }
  CHECK_FALSE(is_valid_client_id(std::string_view("a\0b", 3)));
}

TEST_CASE("pool ids are slugs of at most 63 characters") {
  CHECK(is_valid_pool_id("trial-vws"));
  CHECK(is_valid_pool_id("0"));
  CHECK(is_valid_pool_id("vws.main_2027-q1"));
  CHECK(is_valid_pool_id(std::string(63, 'a')));
  CHECK_FALSE(is_valid_pool_id(""));
  CHECK_FALSE(is_valid_pool_id(std::string(64, 'a')));
  for (const char* bad : {"-a", ".a", "_a", "Vws", "vws main", "vws/main", "vws:main", "é"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_pool_id(bad));
  }
}

TEST_CASE("lease ids are lse_ and 22 to 64 URL-safe characters") {
  CHECK(is_valid_lease_id("lse_" + std::string(22, 'A')));
  CHECK(is_valid_lease_id("lse_abcdefghijklmnopqrstuvwxyz-_0123"));
  CHECK(is_valid_lease_id("lse_" + std::string(64, 'z')));
  CHECK_FALSE(is_valid_lease_id("lse_" + std::string(21, 'A')));
  CHECK_FALSE(is_valid_lease_id("lse_" + std::string(65, 'A')));
  CHECK_FALSE(is_valid_lease_id("lsx_" + std::string(22, 'A')));
  CHECK_FALSE(is_valid_lease_id(std::string(26, 'A')));
  CHECK_FALSE(is_valid_lease_id(""));
  CHECK_FALSE(is_valid_lease_id("lse_"));
  CHECK_FALSE(is_valid_lease_id("lse_" + std::string(21, 'A') + "+"));
  CHECK_FALSE(is_valid_lease_id("lse_" + std::string(21, 'A') + "/"));
  CHECK_FALSE(is_valid_lease_id("lse_" + std::string(21, 'A') + "="));
  CHECK_FALSE(is_valid_lease_id("LSE_" + std::string(22, 'A')));
}

TEST_CASE("UTF-8 validation accepts well-formed text") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("caf\xC3\xA9"));                // é
  CHECK(is_valid_utf8("\xE2\x82\xAC"));               // €
  CHECK(is_valid_utf8("\xF0\x9F\x98\x80"));           // U+1F600
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));           // U+10FFFF
  CHECK(is_valid_utf8("\xED\x9F\xBF"));               // U+D7FF, just below surrogates
  CHECK(is_valid_utf8("\xEE\x80\x80"));               // U+E000, just above
  CHECK(is_valid_utf8(std::string_view("a\0b", 3)));  // NUL is a character
}

TEST_CASE("UTF-8 validation refuses malformed text") {
  for (const char* bad : {
           "\x80",              // lone continuation
           "\xBF",              //
           "\xC0\xAF",          // overlong '/'
           "\xC1\xBF",          // overlong
           "\xE0\x80\xAF",      // overlong 3-byte
           "\xF0\x80\x80\xAF",  // overlong 4-byte
           "\xED\xA0\x80",      // surrogate U+D800
           "\xED\xBF\xBF",      // surrogate U+DFFF
           "\xF4\x90\x80\x80",  // above U+10FFFF
           "\xF5\x80\x80\x80",  //
           "\xFF",              //
           "\xFE",              //
           "\xC3",              // truncated
           "\xE2\x82",          // truncated
           "\xF0\x9F\x98",      // truncated
           "\xC3\x28",          // bad continuation
           "a\xE2\x28\xA1",     //
       }) {
    CAPTURE(std::string(bad));
    CHECK_FALSE(is_valid_utf8(bad));
  }
}
