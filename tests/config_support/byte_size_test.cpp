#include "config_support/byte_size.h"

#include <catch2/catch.hpp>

using namespace vgls::config;

TEST_CASE("sizes: plain bytes or binary units") {
  CHECK(parse_byte_size("65536") == 65536);
  CHECK(parse_byte_size("512B") == 512);
  CHECK(parse_byte_size("64KiB") == 65536);
  CHECK(parse_byte_size("64K") == 65536);
  CHECK(parse_byte_size("64k") == 65536);
  CHECK(parse_byte_size("8MiB") == 8 * 1024 * 1024);
  CHECK(parse_byte_size("8M") == 8 * 1024 * 1024);
  CHECK(parse_byte_size("1GiB") == 1024LL * 1024 * 1024);
  CHECK(parse_byte_size("0") == 0);
}

TEST_CASE("sizes that are not sizes are refused") {
  for (const char* bad : {"", "KiB", "big", "64 KiB", "-1", "1.5MiB", "64kB", "64MB", "64KIB",
                          "99999999999999999999", "9999999999999GiB"}) {
    INFO(bad);
    CHECK_FALSE(parse_byte_size(bad));
  }
}

TEST_CASE("sizes are written in their shortest exact unit") {
  CHECK(format_byte_size(65536) == "64KiB");
  CHECK(format_byte_size(64 * 1024 * 1024) == "64MiB");
  CHECK(format_byte_size(1024LL * 1024 * 1024) == "1GiB");
  CHECK(format_byte_size(64) == "64 bytes");
  CHECK(format_byte_size(0) == "0 bytes");
  CHECK(format_byte_size(1536) == "1536 bytes");
}
