#!/usr/bin/env bash
# CI stage: the tests under sanitizers (see docs/reliability.md, "What CI runs"):
# - ASan+UBSan (preset asan): the whole suite, both backends (the PostgreSQL runs through the
#   ctest fixture), against ASan-built vglsd, vgls-agent, vglsctl and vgls-bench. Left out, by name:
#   - packaging_installed: it builds its own optimised packages and runs them in a chroot, so no
#     sanitized binary is under test (scripts/ci/packages.sh runs it);
#   - the two resident-memory checks (fault_tests "a burst of garbage…" and server_e2e_tests
#     "thousands of bad requests…"): ASan keeps freed memory in its quarantine and shadow, so
#     resident size says nothing there; LeakSanitizer checks the same paths for leaks instead.
# - TSan (preset tsan): the storage tests (the store's writer, reader and checkpointer threads,
#   group commit, the shared wal-index), the server's unit tests and the server's end-to-end suite
#   against a TSan-built vglsd (its io threads, the store's threads), on SQLite. Left out: one
#   single-threaded WAL byte check that takes minutes under TSan and runs in the other stages.
#   TSan slows vglsd 5-15 times; the preset gives each test 900 s instead of 300 s.
# Every sanitizer report, of a test binary or of any vglsd, agent or vglsctl it started, is written
# to a file of its own (log_path) and fails the stage, so a report from a child process whose exit
# status no test looks at (a leak found at exit) is not lost.
# The builds run in a copy of the tree at one fixed path (VGLS_CI_SANITIZER_DIR), whatever the
# checkout: the compiler sees that path, so ccache hits from one CI run to the next.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
copy=${VGLS_CI_SANITIZER_DIR:-/var/tmp/vgls-sanitizers}/vgls
mkdir -p "$copy"
find "$copy" -mindepth 1 -maxdepth 1 ! -name build -exec rm -rf {} +
"$root/scripts/copy-tree.sh" "$root" "$copy"
cd "$copy"
jobs=${VGLS_CI_JOBS:-2}
# Which: the argument, else VGLS_CI_SANITIZERS (asan, tsan or all; default all).
stage=${1:-${VGLS_CI_SANITIZERS:-all}}
reports=$copy/build/sanitizer-reports

# Runs ctest with $1's reports going to $reports/$1.*; fails when ctest fails or any report was
# written, printing the reports.
run_sanitized() {
  local name=$1
  shift
  rm -f "$reports/$name".*
  mkdir -p "$reports"
  local status=0
  "$@" || status=$?
  local found
  found=$(find "$reports" -name "$name.*" -type f | sort)
  if [[ -n $found ]]; then
    echo "== $name: sanitizer reports (one file per process):"
    for f in $found; do
      echo "-- $f"
      cat "$f"
    done
    status=1
  fi
  return $status
}

# prints "<what>: <seconds> s" after running the rest of the arguments
timed() {
  local what=$1 start=$SECONDS
  shift
  "$@"
  echo "== $what: $((SECONDS - start)) s"
}

if [[ $stage == all || $stage == asan ]]; then
  echo "== ASan+UBSan"
  cmake --preset asan -DVGLS_TEST_BUILDS_BINARIES=ON -DVGLS_BUILD_BENCH=ON >/dev/null
  timed "ASan build" cmake --build --preset asan -j"$jobs"
  # verify_asan_link_order=0: the clock tests preload libfaketime into vglsd.
  # detect_leaks: LeakSanitizer at every exit, of test binaries and of the processes they start.
  timed "ASan tests" run_sanitized asan env \
    ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:verify_asan_link_order=0:log_path=$reports/asan" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/asan-ubsan" \
    ctest --preset asan -j"$jobs" \
    -E '^packaging_installed$|a burst of garbage and oversized requests: memory comes back|thousands of bad requests leave resident memory bounded'
fi
if [[ $stage == all || $stage == tsan ]]; then
  echo "== TSan"
  cmake --preset tsan -DVGLS_TEST_BUILDS_BINARIES=OFF -DVGLS_BUILD_BENCH=OFF >/dev/null
  timed "TSan build" cmake --build --preset tsan -j"$jobs" --target vglsd storage_tests \
    server_tests server_e2e_tests
  timed "TSan tests" run_sanitized tsan env \
    TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$reports/tsan" \
    ctest --preset tsan -j"$jobs" -R '^(storage_tests|server_tests|server_e2e_tests):' \
    -E 'every commit is in the WAL file and read by a fresh connection at once|thousands of bad requests leave resident memory bounded'
fi
