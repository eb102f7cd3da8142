#!/usr/bin/env bash
# Installs what vgls needs to build and test on Debian 12, from Debian's archive only.
# Safe to run again: apt-get skips what is already there.
#   scripts/install-deps.sh [--packaging]
# --packaging (implied by CI=true) adds what building and testing the Debian packages needs
# (packaging/build-deb.sh, tests/packaging/): kept out of the default, which builds and tests vgls.
set -euo pipefail

with_packaging=0
[ "${1:-}" = "--packaging" ] && with_packaging=1
[ "${CI:-}" = true ] && with_packaging=1

packages=(
  cmake ninja-build g++ pkg-config clang-format
  libboost1.81-dev libssl-dev libsqlite3-dev nlohmann-json3-dev libspdlog-dev catch2
  libtomlplusplus-dev libcli11-dev libsystemd-dev libpq-dev libsodium-dev
  openssl sqlite3 curl ccache
  postgresql faketime   # the PostgreSQL suites' server; skewed clocks in the HA tests
  chromium   # the status page's browser test
  prometheus   # promtool: the shipped alert rules
  python3      # the dashboard test reads its JSON
)
# CI's fuzz stage (scripts/ci/fuzz.sh): clang and its libFuzzer runtime.
[ "${CI:-}" = true ] && packages+=(clang libclang-rt-dev)
if [ "$with_packaging" = 1 ]; then
  packages+=(
    debhelper dpkg-dev fakeroot help2man   # dpkg-buildpackage; debhelper 13.11 has dh_installsysusers
    lintian debootstrap systemd            # lintian; the installed test's root; systemd-analyze
  )
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "install-deps.sh: these packages are missing: ${missing[*]}" >&2
    echo "Installing them needs root, and sudo is not installed. Run this script as root" >&2
    echo "(su -c ./scripts/install-deps.sh), or as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  sudo="sudo"
fi
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
