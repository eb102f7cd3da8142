#!/usr/bin/env bash
# Builds the Debian packages vgls-server, vgls-agent and vglsctl (and their -dbgsym) from this
# checkout into OUT_DIR:
#
#   packaging/build-deb.sh [--lintian] OUT_DIR
#
# The tree (tracked and untracked files, not ignored ones) is copied to /var/tmp/vgls-deb/vgls/
# (VGLS_DEB_BUILD_DIR/vgls) with packaging/debian/ as debian/, and built there with
# `dpkg-buildpackage -b -us -uc`, so the checkout stays clean. Needs the build dependencies of packaging/debian/control:
# `scripts/install-deps.sh --packaging` installs them. --lintian runs lintian on the result and
# fails on any error or warning. Compiles with nice -n 10, DEB_BUILD_OPTIONS=parallel=2 unless
# DEB_BUILD_OPTIONS is set, and through ccache when it is installed.
set -euo pipefail

run_lintian=0
if [ "${1:-}" = "--lintian" ]; then
  run_lintian=1
  shift
fi
if [ $# -ne 1 ]; then
  echo "usage: $0 [--lintian] OUT_DIR" >&2
  exit 2
fi
mkdir -p "$1"
out=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
# One fixed path whatever the checkout: the compiler sees it (-ffile-prefix-map, -I), so ccache
# hits from one build to the next, also from another checkout of the same sources.
stage_parent="${VGLS_DEB_BUILD_DIR:-/var/tmp/vgls-deb}"
stage="$stage_parent/vgls"

rm -rf "$stage_parent"
mkdir -p "$stage"
"$root/scripts/copy-tree.sh" "$root" "$stage"
rm -rf "$stage/debian"
cp -a "$root/packaging/debian" "$stage/debian"

export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-parallel=2}"
# debhelper points HOME at a throw-away directory, so ccache is told where its cache is.
if command -v ccache >/dev/null 2>&1; then
  CCACHE_DIR="${CCACHE_DIR:-$(ccache -k cache_dir)}"
  # The server's precompiled header is made anew each build: without this, no file including
  # it would ever be a hit.
  CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}"
  export CCACHE_DIR CCACHE_SLOPPINESS
fi

start=$(date +%s)
(cd "$stage" && nice -n 10 dpkg-buildpackage -b -us -uc)
echo "build-deb: packages built in $(($(date +%s) - start)) s"

shopt -s nullglob
files=("$stage_parent"/*.deb "$stage_parent"/*.ddeb "$stage_parent"/*.buildinfo "$stage_parent"/*.changes)
mv -f "${files[@]}" "$out"/
ls -1 "$out"

if [ "$run_lintian" = 1 ]; then
  changes=("$out"/vgls_*.changes)
  lintian --info --display-info --fail-on error,warning "${changes[-1]}"
  echo "build-deb: lintian: no errors, no warnings"
fi
