#!/usr/bin/env bash
# CI stage: the tests under sanitizers, in the subsets that fit the CI budget on two cores (see
# docs/reliability.md, "What CI runs"):
# - ASan+UBSan (preset asan): protocol, storage and server unit tests, and the server's end-to-end
#   suite against an ASan-built vglsd, on SQLite, except the resident-memory check (ASan's
#   quarantine and shadow make resident size meaningless; LeakSanitizer covers those paths).
# - TSan (preset tsan): the storage tests on SQLite (the store's writer, reader and checkpointer
#   threads, group commit, the shared wal-index) and the server's unit tests, except one single-threaded WAL byte check that
#   takes minutes under TSan and runs in the other stages.
# Only the binaries those suites start are built (VGLS_TEST_BUILDS_BINARIES=OFF).
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
common=(-DVGLS_TEST_BUILDS_BINARIES=OFF -DVGLS_BUILD_BENCH=OFF)

if [[ $stage == all || $stage == asan ]]; then
  echo "== ASan+UBSan"
  cmake --preset asan "${common[@]}" >/dev/null
  cmake --build --preset asan -j"$jobs" --target vglsd protocol_tests storage_tests server_tests \
    server_e2e_tests
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --preset asan -j"$jobs" -R '^(protocol_tests|storage_tests|server_tests|server_e2e_tests):' \
      -E 'thousands of bad requests leave resident memory bounded'
fi
if [[ $stage == all || $stage == tsan ]]; then
  echo "== TSan"
  cmake --preset tsan "${common[@]}" >/dev/null
  cmake --build --preset tsan -j"$jobs" --target storage_tests server_tests
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    ctest --preset tsan -j"$jobs" -R '^(storage_tests|server_tests):' \
      -E 'every commit is in the WAL file and read by a fresh connection at once'
fi
