// Headless Chromium for the status page's browser tests: where it is, and one run of it.
#pragma once

#include <optional>
#include <string>

#include "tests/support/child_process.h"

namespace vgls::testing {

// $VGLS_CHROMIUM, else Debian's /usr/bin/chromium. Without one the calling test is skipped with a
// warning, or fails under CI=true (.ci/run installs it).
std::optional<std::string> chromium_or_skip();

// Runs Chromium headless on `url` with a fresh profile and no network but the page's; `extra` says
// what to do (--dump-dom, --screenshot=…). Its log goes to /dev/null so stdout is the DOM alone.
run_result run_chromium(const std::string& chromium, const std::string& url,
                        const std::string& extra);

}  // namespace vgls::testing
