#include "tests/status_page/chromium.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "tests/support/temp_dir.h"

namespace vgls::testing {

using namespace std::chrono_literals;

namespace {

std::optional<std::string> find_chromium() {
  if (const char* configured = std::getenv("VGLS_CHROMIUM"); configured && *configured)
    return std::string(configured);
  for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (std::filesystem::exists(candidate))
      return std::string(candidate);
  }
  return std::nullopt;
}

bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

}  // namespace

std::optional<std::string> chromium_or_skip() {
  auto chromium = find_chromium();
  if (!chromium) {
    if (running_in_ci())
      FAIL("chromium is not installed, but CI=true: .ci/run installs Debian's chromium package");
    WARN("skipped: chromium not found (install Debian's chromium, or set VGLS_CHROMIUM)");
  }
  return chromium;
}

run_result run_chromium(const std::string& chromium, const std::string& url,
                        const std::string& extra) {
  temp_dir profile("vgls-chromium");
  const std::string command =
      "exec '" + chromium +
      "' --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
      " --disable-background-networking --disable-component-update --disable-sync"
      " --hide-scrollbars --user-data-dir='" +
      profile.path().string() + "' " + extra + " '" + url + "' 2>/dev/null";
  return run_program({"/bin/sh", "-c", command}, 120s);
}

}  // namespace vgls::testing
