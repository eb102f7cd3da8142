#!/usr/bin/env bash
# CI stage: build the libFuzzer targets (preset fuzz, clang), replay every kept input (the seed
# corpus and each crash ever found, tests/fuzz/corpus/<target>/), then fuzz each target for a
# share of VGLS_FUZZ_SECONDS (default 150). A crash fails the stage and its input is written into
# the corpus directory, to be committed as a regression input.
set -euo pipefail
cd "$(dirname "$0")/../.."
budget=${VGLS_FUZZ_SECONDS:-150}
targets=(http_request json_requests answers query_string config)
per_target=$((budget / ${#targets[@]}))
jobs=${VGLS_CI_JOBS:-2}

# Debian's clang and its libFuzzer runtime (scripts/install-deps.sh installs the rest).
if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends clang libclang-rt-dev >/dev/null ||
    apt-get install -y --no-install-recommends clang >/dev/null
fi
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$jobs"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
total_runs=0
for target in "${targets[@]}"; do
  binary=build/fuzz/tests/fuzz/fuzz_${target}
  corpus=tests/fuzz/corpus/${target}
  echo "== fuzz_${target}: replaying $(ls "$corpus" | wc -l) kept inputs"
  "$binary" -runs=0 "$corpus"/* >"$work/${target}.replay.log" 2>&1 ||
    { cat "$work/${target}.replay.log"; exit 1; }
  # New inputs go to a scratch corpus; the repository keeps the seeds and the crashes.
  mkdir -p "$work/${target}"
  echo "== fuzz_${target}: ${per_target} s"
  if ! "$binary" -max_total_time="$per_target" -max_len=70000 -timeout=10 -rss_limit_mb=1024 \
      -print_final_stats=1 -artifact_prefix="$corpus/crash-" \
      "$work/${target}" "$corpus" >"$work/${target}.log" 2>&1; then
    tail -n 60 "$work/${target}.log"
    echo "fuzz_${target} found a crash; its input is in $corpus (commit it as a regression input)"
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/${target}.log" | grep -o '[0-9]*$' || echo 0)
  echo "   ${runs} executions"
  total_runs=$((total_runs + runs))
done
echo "fuzz: ${total_runs} executions over ${#targets[@]} targets, no crash"
