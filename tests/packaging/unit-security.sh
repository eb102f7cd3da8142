#!/usr/bin/env bash
# SPEC §12: `systemd-analyze security --offline=true` rates vglsd.service at most 2.0 and
# vgls-agent.service at most 4.0. The score depends only on the unit file, so this is exact.
#   tests/packaging/unit-security.sh [UNITS_DIR]     (default: packaging/systemd)
# Exit 77 (ctest: skipped) without systemd-analyze, except under CI=true, where that fails.
set -euo pipefail
units=${1:-$(dirname "$0")/../../packaging/systemd}

if ! command -v systemd-analyze >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL: systemd-analyze is missing (package systemd; scripts/install-deps.sh installs it in CI)"
    exit 1
  fi
  echo "SKIP: systemd-analyze is not installed (package systemd)"
  exit 77
fi

failed=0
check() {
  local unit=$1 max=$2 out score
  out=$(systemd-analyze security --offline=true --no-pager "$units/$unit" 2>&1) || true
  score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
  if [ -z "$score" ]; then
    printf '%s\n' "$out"
    echo "FAIL: $unit: systemd-analyze gave no exposure level"
    failed=1
  elif awk -v s="$score" -v m="$max" 'BEGIN { exit !(s <= m) }'; then
    echo "ok: $unit exposure $score (at most $max)"
  else
    printf '%s\n' "$out" | grep -v '✓' || true
    echo "FAIL: $unit exposure $score, above $max"
    failed=1
  fi
}
check vglsd.service 2.0
check vgls-agent.service 4.0
exit $failed
