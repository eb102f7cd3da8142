#include "tests/status_page/devtools_session.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <thread>

#include "protocol/lease_token.h"

namespace vgls::testing {

using json = nlohmann::json;

namespace {

void write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      throw std::runtime_error("chromium: cannot write to the DevTools pipe (it exited?)");
    done += static_cast<std::size_t>(n);
  }
}

// DevTools sends binary data in standard base64; the project's decoder reads the URL-safe form.
std::string base64_decode(std::string text) {
  std::erase(text, '=');
  std::replace(text.begin(), text.end(), '+', '-');
  std::replace(text.begin(), text.end(), '/', '_');
  auto bytes = vgls::protocol::base64url_decode(text);
  if (!bytes)
    throw std::runtime_error("chromium: the screenshot is not base64");
  return *bytes;
}

}  // namespace

devtools_session::devtools_session(const std::string& chromium, int width, int height) {
  // A Chromium that dies must fail the test, not kill it with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  int commands[2];  // we write, Chromium reads on fd 3
  int answers[2];   // Chromium writes on fd 4, we read
  if (::pipe2(commands, O_CLOEXEC) != 0 || ::pipe2(answers, O_CLOEXEC) != 0)
    throw std::runtime_error("chromium: pipe2 failed");
  const std::vector<std::string> args = {
      chromium,
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--hide-scrollbars",
      "--remote-debugging-pipe",
      "--user-data-dir=" + profile_.path().string(),
      "--window-size=" + std::to_string(width) + "," + std::to_string(height),
      "about:blank"};
  std::vector<char*> argv;
  for (const auto& arg : args)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ < 0)
    throw std::runtime_error("chromium: fork failed");
  if (pid_ == 0) {
    // Move the pipe ends above 4 first, so that placing them on 3 and 4 cannot clobber each other.
    const int read_end = ::fcntl(commands[0], F_DUPFD_CLOEXEC, 10);
    const int write_end = ::fcntl(answers[1], F_DUPFD_CLOEXEC, 10);
    if (read_end < 0 || write_end < 0 || ::dup2(read_end, 3) < 0 || ::dup2(write_end, 4) < 0)
      ::_exit(126);
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(commands[0]);
  ::close(answers[1]);
  to_browser_ = commands[1];
  from_browser_ = answers[0];
  try {
    open_page(width, height);
  } catch (...) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    ::close(to_browser_);
    ::close(from_browser_);
    throw;
  }
}

void devtools_session::open_page(int width, int height) {
  const json target =
      send({{"method", "Target.createTarget"}, {"params", {{"url", "about:blank"}}}});
  const json attached =
      send({{"method", "Target.attachToTarget"},
            {"params", {{"targetId", target.at("targetId")}, {"flatten", true}}}});
  session_id_ = attached.at("sessionId").get<std::string>();
  call("Page.enable");
  call("Emulation.setDeviceMetricsOverride",
       {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", false}});
}

devtools_session::~devtools_session() {
  if (pid_ > 0) {
    try {
      write_all(to_browser_, json{{"id", next_id_++}, {"method", "Browser.close"}}.dump() +
                                 std::string(1, '\0'));
    } catch (const std::exception&) {
      // Already gone: reaped below.
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  if (to_browser_ >= 0)
    ::close(to_browser_);
  if (from_browser_ >= 0)
    ::close(from_browser_);
}

void devtools_session::navigate(const std::string& url) {
  events_.clear();
  const json answer = call("Page.navigate", {{"url", url}});
  if (answer.contains("errorText"))
    throw std::runtime_error("chromium: cannot open " + url + ": " +
                             answer["errorText"].get<std::string>());
  wait_for_event("Page.loadEventFired");
}

json devtools_session::evaluate(const std::string& expression) {
  const json answer =
      call("Runtime.evaluate",
           {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}});
  if (answer.contains("exceptionDetails"))
    throw std::runtime_error("in the page: " + answer["exceptionDetails"].dump());
  const json& result = answer.at("result");
  return result.contains("value") ? result["value"] : json();
}

std::string devtools_session::full_page_png() {
  const json metrics = call("Page.getLayoutMetrics");
  const json& size = metrics.at("cssContentSize");
  const json shot = call("Page.captureScreenshot", {{"format", "png"},
                                                    {"captureBeyondViewport", true},
                                                    {"clip",
                                                     {{"x", 0},
                                                      {"y", 0},
                                                      {"width", size.at("width")},
                                                      {"height", size.at("height")},
                                                      {"scale", 1}}}});
  return base64_decode(shot.at("data").get<std::string>());
}

json devtools_session::call(const std::string& method, const json& params) {
  return send({{"sessionId", session_id_}, {"method", method}, {"params", params}});
}

json devtools_session::send(json message) {
  const int id = next_id_++;
  message["id"] = id;
  write_all(to_browser_, message.dump() + std::string(1, '\0'));
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  while (true) {
    auto next = next_message(deadline);
    if (!next)
      throw std::runtime_error("chromium: no answer to " + message["method"].get<std::string>());
    if (next->contains("id") && (*next)["id"] == id) {
      if (next->contains("error"))
        throw std::runtime_error("chromium: " + message["method"].get<std::string>() + ": " +
                                 (*next)["error"].dump());
      return next->value("result", json::object());
    }
    if (next->contains("method"))
      events_.push_back(std::move(*next));
  }
}

void devtools_session::wait_for_event(std::string_view method) {
  auto is_it = [&](const json& event) {
    return event.value("method", "") == method && event.value("sessionId", "") == session_id_;
  };
  for (auto it = events_.begin(); it != events_.end(); ++it) {
    if (is_it(*it)) {
      events_.erase(events_.begin(), it + 1);
      return;
    }
  }
  events_.clear();
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  while (auto next = next_message(deadline)) {
    if (is_it(*next))
      return;
  }
  throw std::runtime_error("chromium: no " + std::string(method) + " in time");
}

std::optional<json> devtools_session::next_message(std::chrono::steady_clock::time_point deadline) {
  while (true) {
    if (const auto end = buffer_.find('\0'); end != std::string::npos) {
      json message = json::parse(buffer_.substr(0, end), nullptr, false);
      buffer_.erase(0, end + 1);
      if (!message.is_discarded())
        return message;
      continue;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return std::nullopt;
    pollfd ready{from_browser_, POLLIN, 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(left.count()));
    if (polled < 0 && errno == EINTR)
      continue;
    if (polled <= 0)
      return std::nullopt;
    char chunk[65536];
    const ssize_t n = ::read(from_browser_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      throw std::runtime_error("chromium: the DevTools pipe closed (it exited)");
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace vgls::testing
