#include "agent/systemd_notifier.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <string>

namespace vgls::agent {

namespace {

// STATUS= is one line; a newline would start another assignment.
std::string one_line(std::string_view text) {
  std::string line(text);
  for (char& c : line) {
    if (c == '\n') {
      c = ' ';
    }
  }
  return line;
}

}  // namespace

bool systemd_notifier::active() {
  return std::getenv("NOTIFY_SOCKET") != nullptr;
}

void systemd_notifier::ready(std::string_view status) {
  if (ready_sent_) {
    this->status(status);
    return;
  }
  ready_sent_ = true;
  sd_notify(0, ("READY=1\nSTATUS=" + one_line(status)).c_str());
}

void systemd_notifier::status(std::string_view status) {
  sd_notify(0, ("STATUS=" + one_line(status)).c_str());
}

void systemd_notifier::stopping(std::string_view status) {
  sd_notify(0, ("STOPPING=1\nSTATUS=" + one_line(status)).c_str());
}

}  // namespace vgls::agent
