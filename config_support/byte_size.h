// Sizes in bytes as an operator writes them in a configuration file. Pure functions.
//   65536        bytes (a TOML integer, or the same digits in a string)
//   "512B"       bytes
//   "64KiB"      × 1024; also "64K" and "64k" (binary, as nginx and most daemons read them)
//   "8MiB"       × 1024²; also "8M"
//   "1GiB"       × 1024³; also "1G"
// Decimal units (kB, MB) are refused rather than guessed at.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vgls::config {

// nullopt when `text` is none of the forms above, or does not fit in 63 bits.
std::optional<std::int64_t> parse_byte_size(std::string_view text);

// The shortest exact spelling: 65536 → "64KiB", 1048576 → "1MiB", 100 → "100 bytes".
std::string format_byte_size(std::int64_t bytes);

// How the accepted forms are named in error messages.
inline constexpr std::string_view byte_size_forms = R"(a size such as "64KiB" or "8MiB")";

}  // namespace vgls::config
