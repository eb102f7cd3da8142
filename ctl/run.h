// vglsctl as a function: parse the command line, connect, run the command, return the exit code.
// main() only passes the process's arguments, environment and streams.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "ctl/command_line.h"

namespace vgls::ctl {

// `args` excludes the program name.
int run(const std::vector<std::string>& args, const environment& env, std::ostream& out,
        std::ostream& err);

}  // namespace vgls::ctl
