// vglsctl: the admin's command line for a vgls server (SPEC §5). Everything happens in run().
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "ctl/exit_code.h"
#include "ctl/run.h"

int main(int argc, char** argv) {
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    return vgls::ctl::run(args, vgls::ctl::environment::from_process(), std::cout, std::cerr);
  } catch (const std::exception& e) {
    // Only a bug or memory exhaustion gets here; say so instead of aborting.
    std::cerr << "error: internal_error: " << e.what() << '\n';
    return vgls::ctl::to_int(vgls::ctl::exit_code::refused);
  }
}
