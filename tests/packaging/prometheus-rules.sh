#!/bin/sh
# The shipped Prometheus alert rules load (`promtool check rules`) and behave as their unit tests
# say (`promtool test rules`). Without promtool: skipped (77), except under CI=true, where it fails.
# Usage: prometheus-rules.sh RULES_FILE RULES_TEST_FILE
set -eu
if ! command -v promtool >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "promtool is missing; install it with scripts/install-deps.sh (Debian package prometheus)" >&2
    exit 1
  fi
  echo "promtool is missing; skipping (scripts/install-deps.sh installs it)"
  exit 77
fi
promtool check rules "$1"
cd "$(dirname "$2")"
promtool test rules "$(basename "$2")"
