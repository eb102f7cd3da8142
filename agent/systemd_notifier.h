// Tells systemd what the agent is doing (sd_notify): READY=1 once licensed, so units ordered
// after vgls-agent.service start only on a licensed VM; STATUS= lines for `systemctl status`;
// STOPPING=1 on the way out. Does nothing when NOTIFY_SOCKET is unset (not started by systemd).
// Not synchronised.
#pragma once

#include <string_view>

namespace vgls::agent {

class systemd_notifier {
 public:
  // READY=1 with a status line; only the first call says READY=1.
  void ready(std::string_view status);
  void status(std::string_view status);
  void stopping(std::string_view status);

  bool ready_sent() const { return ready_sent_; }
  // Whether anyone listens: NOTIFY_SOCKET is set.
  static bool active();

 private:
  bool ready_sent_ = false;
};

}  // namespace vgls::agent
