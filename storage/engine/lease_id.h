// Lease ids: "lse_" followed by 24 characters of URL-safe base64 holding 144 bits from the
// kernel's CSPRNG (getrandom). Knowing the id is what lets a client renew or release, so it
// must not be guessable. Thread-safe.
#pragma once

#include <string>

namespace vgls::storage {

std::string new_lease_id();

}  // namespace vgls::storage
