#!/usr/bin/env bash
# Copies the checkout's files (tracked and untracked, not ignored ones; without .git and build/)
# from SOURCE into DEST, which must exist. The package build and the sanitizer stage build in such
# a copy at one fixed path, so that the compiler cache serves them whatever the checkout's path.
#
#   scripts/copy-tree.sh SOURCE DEST
set -euo pipefail
src=$1 dest=$2
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard |
    xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
    tar --null -T - -cf -) | tar -xf - -C "$dest"
else
  tar -C "$src" --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$dest"
fi
