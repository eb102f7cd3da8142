#!/usr/bin/env bash
# Fails, listing the files, when any C++ source differs from what .clang-format asks for.
set -euo pipefail
cd "$(dirname "$0")/.."
dirs=()
for d in protocol config_support log_support storage server client agent ctl bench tests; do [ -d "$d" ] && dirs+=("$d"); done
files=$(find "${dirs[@]}" \( -name '*.cpp' -o -name '*.h' \) | sort)
bad=()
for f in $files; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "not formatted (run: clang-format -i FILE):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "$(echo "$files" | wc -w) files formatted"
