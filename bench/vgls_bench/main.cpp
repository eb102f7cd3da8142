// vgls-bench: a load generator for vgls. See bench/README.md for the modes and the numbers.
// Exit: 0 done, 1 setup or run failed, 2 bad command line, 3 a pool was found over its seats.
#include <sys/resource.h>

#include <exception>
#include <iostream>

#include "bench/vgls_bench/bootstorm_mode.h"
#include "bench/vgls_bench/command_line.h"
#include "bench/vgls_bench/cycle_mode.h"
#include "bench/vgls_bench/expire_storm_mode.h"
#include "bench/vgls_bench/fill_mode.h"
#include "bench/vgls_bench/report.h"

namespace {

// Thousands of connections need thousands of descriptors: take the hard limit.
rlim_t raise_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
    return 0;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vgls::bench;
  int exit_code = 0;
  auto options = parse_command_line(argc, argv, exit_code);
  if (!options)
    return exit_code;
  const auto file_limit = raise_file_limit();
  // Leave room for the process's own descriptors.
  const auto usable = static_cast<long long>(file_limit) - 64;
  if (file_limit > 0 && (options->connections > usable || options->concurrency > usable)) {
    std::cerr << "vgls-bench: the open-file limit is " << file_limit
              << "; lower --connections/--concurrency or raise `ulimit -n`\n";
    return 2;
  }
  try {
    nlohmann::json result;
    if (options->mode == "cycle")
      result = run_cycle_mode(*options);
    else if (options->mode == "bootstorm")
      result = run_bootstorm_mode(*options);
    else if (options->mode == "fill")
      result = run_fill_mode(*options);
    else
      result = run_expire_storm_mode(*options);
    print_report(result, options->json);
    return result.value("over_seats", false) ? 3 : 0;
  } catch (const std::exception& e) {
    std::cerr << "vgls-bench: " << e.what() << "\n";
    return 1;
  }
}
