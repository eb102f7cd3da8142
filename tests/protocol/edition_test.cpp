#include "protocol/edition.h"

#include <catch2/catch.hpp>

using namespace vgls::protocol;

TEST_CASE("editions have canonical spellings that parse back") {
  CHECK(to_string(edition::vapp) == "vApp");
  CHECK(to_string(edition::vpc) == "vPC");
  CHECK(to_string(edition::vws) == "vWS");
  CHECK(to_string(edition::vcs) == "vCS");
  for (edition e : all_editions) {
    CHECK(parse_edition(to_string(e)) == e);
  }
}

TEST_CASE("edition input is case-insensitive and accepts every SPEC alias") {
  struct row {
    const char* text;
    edition expected;
  };
  const row rows[] = {
      {"vapp", edition::vapp},
      {"VAPP", edition::vapp},
      {"vApp", edition::vapp},
      {"vapps", edition::vapp},
      {"VApps", edition::vapp},
      {"grid-virtual-apps", edition::vapp},
      {"GRID-Virtual-Apps", edition::vapp},
      {"vpc", edition::vpc},
      {"VPC", edition::vpc},
      {"grid-virtual-pc", edition::vpc},
      {"Grid-Virtual-PC", edition::vpc},
      {"vws", edition::vws},
      {"vdws", edition::vws},
      {"qdws", edition::vws},
      {"QDWS", edition::vws},
      {"rtx-vws", edition::vws},
      {"RTX-vWS", edition::vws},
      {"vcs", edition::vcs},
      {"nvaie-vcs", edition::vcs},
      {"NVAIE-VCS", edition::vcs},
      {"compute", edition::vcs},
      {"Compute", edition::vcs},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    CHECK(parse_edition(r.text) == r.expected);
  }
}

TEST_CASE("anything else is no edition") {
  for (const char* text : {"", "v", "vgpu", "vWS ", " vWS", "vws-", "grid", "quadro", "vApp\n",
                           "grid-virtual-app", "nvaie", "computer"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_edition(text).has_value());
  }
  CHECK_FALSE(parse_edition(std::string(10000, 'v')).has_value());
}

TEST_CASE("a vGPU profile implies an edition by its last letter") {
  CHECK(edition_from_profile("GRID P40-2Q") == edition::vws);
  CHECK(edition_from_profile("nvidia-p40-2q") == edition::vws);
  CHECK(edition_from_profile("A100-4C") == edition::vcs);
  CHECK(edition_from_profile("a100-4c") == edition::vcs);
  CHECK(edition_from_profile("P40-1B") == edition::vpc);
  CHECK(edition_from_profile("p40-1b") == edition::vpc);
  CHECK(edition_from_profile("P40-24A") == edition::vapp);
  CHECK(edition_from_profile("p40-24a") == edition::vapp);
  CHECK(edition_from_profile("  GRID T4-16Q \n") == edition::vws);
  CHECK(edition_from_profile("GRID A100-1-5C") == edition::vcs);
}

TEST_CASE("a profile implies nothing unless it ends in a digit and A, B, C or Q") {
  for (const char* text : {"", " ", "Q", "GRID P40-2", "P40-2X", "P40-2D", "generic", "GRID",
                           "nvidia-222", "P40-Q", "P40-2Q-x"}) {
    CAPTURE(text);
    CHECK_FALSE(edition_from_profile(text).has_value());
  }
}

TEST_CASE("upgrade rule: a vWS seat serves vPC and vCS only when upgrades are allowed") {
  // Exact edition always satisfies, whatever the setting.
  for (edition e : all_editions) {
    CHECK(satisfies(e, e, true));
    CHECK(satisfies(e, e, false));
  }
  CHECK(satisfies(edition::vws, edition::vpc, true));
  CHECK(satisfies(edition::vws, edition::vcs, true));
  CHECK_FALSE(satisfies(edition::vws, edition::vpc, false));
  CHECK_FALSE(satisfies(edition::vws, edition::vcs, false));
  // vWS covers vPC and vCS only; nothing else upgrades.
  CHECK_FALSE(satisfies(edition::vws, edition::vapp, true));
  CHECK_FALSE(satisfies(edition::vpc, edition::vws, true));
  CHECK_FALSE(satisfies(edition::vcs, edition::vws, true));
  CHECK_FALSE(satisfies(edition::vapp, edition::vpc, true));
  CHECK_FALSE(satisfies(edition::vpc, edition::vapp, true));
  CHECK_FALSE(satisfies(edition::vcs, edition::vpc, true));
  CHECK_FALSE(satisfies(edition::vpc, edition::vcs, true));
}
