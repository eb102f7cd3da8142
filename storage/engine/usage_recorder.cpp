#include "storage/engine/usage_recorder.h"

#include <algorithm>

namespace vgls::storage {

void usage_recorder::start(protocol::unix_seconds now, const std::array<std::int64_t, 4>& active) {
  started_ = true;
  minute_start_ = minute_of(now);
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    counts_[i] = usage_counts{.peak_used = active[i], .granted = 0, .denied = 0};
  }
}

void usage_recorder::on_granted(protocol::edition granted, std::int64_t active_after) {
  auto& counts = counts_[static_cast<std::size_t>(granted)];
  ++counts.granted;
  counts.peak_used = std::max(counts.peak_used, active_after);
}

void usage_recorder::on_denied(protocol::edition requested) {
  ++counts_[static_cast<std::size_t>(requested)].denied;
}

void usage_recorder::observe(protocol::edition edition, std::int64_t active) {
  auto& counts = counts_[static_cast<std::size_t>(edition)];
  counts.peak_used = std::max(counts.peak_used, active);
}

}  // namespace vgls::storage
