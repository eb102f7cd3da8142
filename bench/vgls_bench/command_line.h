// The command line of vgls-bench: `vgls-bench MODE [options]`.
#pragma once

#include <optional>

#include "bench/vgls_bench/bench_options.h"

namespace vgls::bench {

// The options, or nullopt after CLI11 has printed help or an error; `exit_code` then says how to
// exit (0 for --help, 2 for a bad command line).
std::optional<bench_options> parse_command_line(int argc, char** argv, int& exit_code);

}  // namespace vgls::bench
