#include "ctl/usage_summary.h"

#include <array>

namespace vgls::ctl {

std::vector<edition_usage> summarize_usage(const std::vector<protocol::usage_bucket>& buckets) {
  std::array<std::optional<edition_usage>, protocol::all_editions.size()> by_edition;
  for (const auto& bucket : buckets) {
    auto& entry = by_edition[static_cast<std::size_t>(bucket.edition)];
    if (!entry) {
      entry.emplace();
      entry->edition = bucket.edition;
    }
    if (bucket.peak_used > entry->peak_used) {
      entry->peak_used = bucket.peak_used;
      entry->peak_at = bucket.start;
    }
    // Ascending by start: the last bucket seen is the period's end.
    entry->seats = bucket.seats;
    entry->granted += bucket.granted;
    entry->denied += bucket.denied;
  }
  std::vector<edition_usage> summary;
  for (const auto& entry : by_edition) {
    if (entry)
      summary.push_back(*entry);
  }
  return summary;
}

}  // namespace vgls::ctl
