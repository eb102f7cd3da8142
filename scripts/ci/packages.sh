#!/usr/bin/env bash
# CI stage: the Debian packages, built, linted and tested as installed in a fresh Debian 12 root
# (tests/packaging/installed-test.sh through ctest). .ci/run runs it when CI=true, after the
# README's test command; locally:
#   scripts/install-deps.sh --packaging && scripts/ci/packages.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
[ -f build/dev/CTestTestfile.cmake ] || cmake --preset dev >/dev/null
VGLS_TEST_PACKAGES=1 ctest --preset dev -R '^packaging_' --output-on-failure
echo "packages stage: $(($(date +%s) - start)) s"
