// A headless Chromium driven over the DevTools protocol (--remote-debugging-pipe: commands on fd 3,
// answers and events on fd 4, each a JSON message ending in NUL), for browser tests that act on a
// page over time: scroll, type, run the page's own functions, read the DOM afterwards. One page
// (target) per session, attached in flat mode. Not thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/temp_dir.h"

namespace vgls::testing {

class devtools_session {
 public:
  // Starts Chromium with a fresh profile and opens a blank page of `width` x `height` CSS px.
  // Throws std::runtime_error when Chromium cannot be started or does not answer.
  devtools_session(const std::string& chromium, int width, int height);
  ~devtools_session();
  devtools_session(const devtools_session&) = delete;
  devtools_session& operator=(const devtools_session&) = delete;

  // Opens `url` in the page and waits for its load event.
  void navigate(const std::string& url);

  // Evaluates `expression` in the page, waits for it when it is a promise, and returns its value
  // (as JSON). Throws std::runtime_error when it throws in the page.
  nlohmann::json evaluate(const std::string& expression);

  // The whole page (not only the viewport) as PNG bytes.
  std::string full_page_png();

  // One DevTools method on the page; its `result`. Throws on an error answer or a timeout.
  nlohmann::json call(const std::string& method,
                      const nlohmann::json& params = nlohmann::json::object());

 private:
  void open_page(int width, int height);
  nlohmann::json send(nlohmann::json message);
  void wait_for_event(std::string_view method);
  // The next message, or nullopt when none came before `deadline`.
  std::optional<nlohmann::json> next_message(std::chrono::steady_clock::time_point deadline);

  static constexpr std::chrono::seconds timeout_{30};
  temp_dir profile_{"vgls-devtools"};
  pid_t pid_ = -1;
  int to_browser_ = -1;
  int from_browser_ = -1;
  int next_id_ = 1;
  std::string session_id_;
  std::string buffer_;
  std::vector<nlohmann::json> events_;  // read while waiting for an answer
};

}  // namespace vgls::testing
