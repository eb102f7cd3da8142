#!/usr/bin/env bash
# The packages as an operator gets them (SPEC §12): builds vgls-server, vgls-agent and
# vglsctl (packaging/build-deb.sh --lintian), installs them into a fresh Debian 12 root made with
# debootstrap, and checks inside it: the user, files and modes; vglsd started with its unit's own
# ExecStartPre/ExecStart lines as user vgls (systemd is not PID 1 in a chroot) answering a
# checkout with the generated client token and 401 without; `vglsctl status` with the generated
# admin token; the alert rules and dashboard in /usr/share/vgls; an upgrade keeping data, tokens
# and a changed config; remove and purge.
#
#   VGLS_TEST_PACKAGES=1 tests/packaging/installed-test.sh SOURCE_DIR WORK_DIR
#
# Without VGLS_TEST_PACKAGES=1 it exits 77 (ctest: skipped). Needs root and the packages that
# `scripts/install-deps.sh --packaging` installs. The debootstrap root is cached under
# /var/cache/vgls-test-root (VGLS_TEST_ROOT_CACHE) and copied for each run; VGLS_TEST_DEBS=DIR
# tests the packages already in DIR instead of building them.
set -euo pipefail

if [ "${VGLS_TEST_PACKAGES:-}" != 1 ]; then
  echo "SKIP: builds and installs the Debian packages; set VGLS_TEST_PACKAGES=1 to run it" \
    "(CI does, in scripts/ci/packages.sh)"
  exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "FAIL: needs root (debootstrap, chroot)"
  exit 1
fi
if [ $# -ne 2 ]; then
  echo "usage: $0 SOURCE_DIR WORK_DIR" >&2
  exit 2
fi
src=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)
t0=$(date +%s)
passed=0
step() { echo "== [$(($(date +%s) - t0)) s] $*"; }
ok() {
  passed=$((passed + 1))
  echo "ok: $*"
}
fail() {
  echo "FAIL: $*"
  exit 1
}

# --- packages ---------------------------------------------------------------------------------
if [ -n "${VGLS_TEST_DEBS:-}" ]; then
  debs=$(cd "$VGLS_TEST_DEBS" && pwd)
  step "testing the packages in $debs"
else
  debs=$work/debs
  rm -rf "$debs"
  step "building the packages (packaging/build-deb.sh --lintian)"
  "$src/packaging/build-deb.sh" --lintian "$debs" >"$work/build-deb.log" 2>&1 || {
    tail -n 60 "$work/build-deb.log"
    fail "the package build or lintian failed; the whole log is $work/build-deb.log"
  }
  sed -n '/^build-deb: packages built/p; /^[EWIN]: /p; /^build-deb: lintian/p' "$work/build-deb.log"
  ok "packages built; lintian reports no errors and no warnings"
fi
pkg() { # the newest .deb of a package
  local f
  f=$(ls -1 "$debs"/"$1"_*.deb 2>/dev/null | sort -V | tail -n 1)
  [ -n "$f" ] || fail "no $1 package in $debs"
  echo "$f"
}
server_deb=$(pkg vgls-server)
agent_deb=$(pkg vgls-agent)
ctl_deb=$(pkg vglsctl)

# --- a fresh Debian 12 root -------------------------------------------------------------------
# The machine's own Debian mirror, as apt is configured here.
mirror() {
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri=$(awk '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; deb = 0; suite = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^Types:.*(^|[ \t])deb([ \t]|$)/) deb = 1
          if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) suite = 1
          if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris); sub(/[ \t].*/, "", uris) }
        }
        if (deb && suite && uris != "") { print uris; exit }
      }' /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 ~ /[ \t]bookworm[ \t]/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
      /etc/apt/sources.list)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}
cache=${VGLS_TEST_ROOT_CACHE:-/var/cache/vgls-test-root}
base=$cache/bookworm
# systemd for systemd-sysusers; the run-time libraries (libspdlog1.10 provides the packages'
# libspdlog1.10-fmt9), so that installing needs no download.
include=systemd,libssl3,libsqlite3-0,libpq5,libsodium23,libspdlog1.10,libfmt9,libtomlplusplus3
mirror_uri=$(mirror)
stamp="debootstrap --variant=minbase --include=$include bookworm TARGET $mirror_uri"
if [ ! -f "$base/.vgls-root" ] || [ "$(cat "$base/.vgls-root")" != "$stamp" ]; then
  step "making the cached Debian 12 root: $stamp"
  mkdir -p "$cache"
  rm -rf "$base.new"
  debootstrap --variant=minbase --include="$include" bookworm "$base.new" "$mirror_uri" \
    >"$work/debootstrap.log" 2>&1 || {
    tail -n 30 "$work/debootstrap.log"
    fail "debootstrap failed; the whole log is $work/debootstrap.log"
  }
  # Package lists, for dependencies a later package may add beyond the included ones.
  chroot "$base.new" apt-get update -qq >>"$work/debootstrap.log" 2>&1 || true
  echo "$stamp" >"$base.new/.vgls-root"
  rm -rf "$base"
  mv "$base.new" "$base"
fi
root=$(mktemp -d /var/tmp/vgls-test-root.XXXXXX)
vglsd_pid=""
cleanup() {
  if [ -n "$vglsd_pid" ]; then
    kill "$vglsd_pid" 2>/dev/null || true
    wait "$vglsd_pid" 2>/dev/null || true
  fi
  umount "$root/proc" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT
step "copying the cached root into $root"
cp -a "$base/." "$root/"
mount -t proc proc "$root/proc"
[ ! -e "$root/run/systemd/system" ] || fail "the root claims a running systemd"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
mkdir -p "$root/tmp/debs"
cp "$server_deb" "$agent_deb" "$ctl_deb" "$root/tmp/debs/"
cp "$server_deb" "$work/vgls-server.deb"

# --- install ----------------------------------------------------------------------------------
step "installing vgls-server, vgls-agent and vglsctl"
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 \
  "/tmp/debs/$(basename "$server_deb")" "/tmp/debs/$(basename "$agent_deb")" \
  "/tmp/debs/$(basename "$ctl_deb")" </dev/null >"$work/install.log" 2>&1 || {
  cat "$work/install.log"
  fail "installing the packages failed"
}
grep -q "vgls-agent: installed disabled" "$work/install.log" || fail "no note that the agent is disabled"
ok "the packages install (no systemd running: nothing started); the agent says it is disabled"

# Owners by the root's own user and group names (the host's may differ or be missing).
mode() {
  local m u g
  read -r m u g < <(stat -c '%a %u %g' "$root$1")
  echo "$m $(in_root getent passwd "$u" | cut -d: -f1):$(in_root getent group "$g" | cut -d: -f1)"
}
expect_mode() {
  [ "$(mode "$1")" = "$2" ] || fail "$1 is $(mode "$1"), not $2"
}
in_root getent passwd vgls | grep -q '^vgls:x:[0-9]*:[0-9]*:[^:]*:/var/lib/vgls:/usr/sbin/nologin$' ||
  fail "no system user vgls ($(in_root getent passwd vgls || true))"
in_root getent group vgls >/dev/null || fail "no group vgls"
expect_mode /var/lib/vgls "700 vgls:vgls"
expect_mode /etc/vgls/admin.token "640 root:vgls"
expect_mode /etc/vgls/client.token "640 root:vgls"
for t in admin client; do
  grep -Eqx '[0-9a-f]{64}' "$root/etc/vgls/$t.token" || fail "$t.token holds no token"
done
[ "$(cat "$root/etc/vgls/admin.token")" != "$(cat "$root/etc/vgls/client.token")" ] ||
  fail "the admin and client tokens are the same"
grep -q '^admin_token_file  = "/etc/vgls/admin.token"' "$root/etc/vgls/vglsd.toml" ||
  fail "vglsd.toml does not use the admin token"
grep -q '^client_token_file = "/etc/vgls/client.token"' "$root/etc/vgls/vglsd.toml" ||
  fail "vglsd.toml does not use the client token"
in_root dpkg-query -W -f='${Conffiles}\n' vgls-server | grep -q ' /etc/vgls/vglsd.toml ' ||
  fail "/etc/vgls/vglsd.toml is no conffile"
in_root dpkg-query -W -f='${Conffiles}\n' vgls-agent | grep -q ' /etc/vgls/agent.toml ' ||
  fail "/etc/vgls/agent.toml is no conffile"
ok "user and group vgls; /var/lib/vgls 0700 vgls; tokens 0640 root:vgls; config uses them; conffiles"

wants=$root/etc/systemd/system/multi-user.target.wants
[ -L "$wants/vglsd.service" ] || fail "vglsd.service is not enabled"
[ ! -e "$wants/vgls-agent.service" ] || fail "vgls-agent.service is enabled without a server"
for unit in vglsd.service vgls-agent.service; do
  [ -f "$root/lib/systemd/system/$unit" ] || fail "no $unit"
  for doc in $(sed -n 's/^Documentation=//p' "$root/lib/systemd/system/$unit"); do
    case $doc in
    file://*) [ -f "$root${doc#file://}" ] || fail "$unit: Documentation= $doc is not installed" ;;
    man:*)
      page=${doc#man:}
      name=${page%(*}
      section=${page#*(}
      section=${section%)}
      [ -f "$root/usr/share/man/man$section/$name.$section.gz" ] || fail "$unit: no man page $doc"
      ;;
    esac
  done
done
[ -f "$root/usr/share/man/man1/vglsctl.1.gz" ] || fail "no vglsctl(1)"
[ -f "$root/usr/share/bash-completion/completions/vglsctl" ] || fail "no bash completion for vglsctl"
[ -f "$root/usr/lib/sysusers.d/vgls-server.conf" ] || fail "no sysusers.d entry"
ok "vglsd enabled, vgls-agent disabled; every Documentation= of the units installed; man pages, completion"
# The alert rules and the dashboard (SPEC §13), byte for byte as in the source, readable by all.
shipped="prometheus/vgls-alerts.yml grafana/vgls-dashboard.json"
for f in $shipped; do
  [ -f "$root/usr/share/vgls/$f" ] || fail "no /usr/share/vgls/$f"
  cmp -s "$root/usr/share/vgls/$f" "$src/packaging/$f" || fail "/usr/share/vgls/$f differs from packaging/$f"
  expect_mode "/usr/share/vgls/$f" "644 root:root"
  in_root dpkg -S "/usr/share/vgls/$f" | grep -q '^vgls-server: ' || fail "/usr/share/vgls/$f is not vgls-server's"
done
ok "the alert rules and the Grafana dashboard in /usr/share/vgls/, owned by vgls-server"

# --- run vglsd as its unit does ---------------------------------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
  echo $((20000 + RANDOM % 20000)))
# An admin's change to the conffile, which the upgrade below must keep.
sed -i "s|^listen = .*|listen = \"127.0.0.1:$port\"   # changed by the admin|" "$root/etc/vgls/vglsd.toml"
unit_file=$root/lib/systemd/system/vglsd.service
unit_value() { sed -n "s/^$1=//p" "$unit_file" | tail -n 1; }
exec_start=$(unit_value ExecStart)
exec_start_pre=$(unit_value ExecStartPre)
umask_value=$(unit_value UMask)
nofile=$(unit_value LimitNOFILE)
[ "$(unit_value User)" = vgls ] || fail "the unit does not run as vgls"
# What systemd would do for this unit, short of the namespaces: user and group vgls with its
# groups, no capabilities, the unit's UMask= and LimitNOFILE=.
as_unit() {
  exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 setpriv --reuid=vgls --regid=vgls --init-groups --inh-caps=-all --bounding-set=-all \
    --no-new-privs /bin/sh -c "umask $umask_value; ulimit -n $nofile; exec $1"
}
url=http://127.0.0.1:$port
start_vglsd() {
  step "starting vglsd as the unit does: $exec_start"
  (as_unit "$exec_start_pre") >"$work/vglsd-check.log" 2>&1 || {
    cat "$work/vglsd-check.log"
    fail "ExecStartPre ($exec_start_pre) failed"
  }
  as_unit "$exec_start" >>"$work/vglsd.log" 2>&1 &
  vglsd_pid=$!
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && return 0
    kill -0 "$vglsd_pid" 2>/dev/null || {
      cat "$work/vglsd.log"
      fail "vglsd exited"
    }
    sleep 0.1
  done
  cat "$work/vglsd.log"
  fail "vglsd does not answer on $url"
}
stop_vglsd() {
  kill -TERM "$vglsd_pid"
  local rc=0
  wait "$vglsd_pid" || rc=$?
  vglsd_pid=""
  [ "$rc" -eq 0 ] || fail "vglsd exited $rc on SIGTERM"
}
checkout() { # checkout CLIENT_ID [TOKEN]: prints the HTTP status
  local auth=()
  [ -z "${2:-}" ] || auth=(-H "Authorization: Bearer $2")
  curl -sS -o "$work/checkout.json" -w '%{http_code}' -XPOST "$url/v1/leases" \
    -H 'Content-Type: application/json' "${auth[@]}" -d "{\"client_id\":\"$1\",\"edition\":\"vWS\"}"
}
: >"$work/vglsd.log"
start_vglsd
[ "$(stat -c %u "/proc/$vglsd_pid")" = "$(in_root id -u vgls)" ] &&
  [ "$(readlink "/proc/$vglsd_pid/exe")" = "$root/usr/sbin/vglsd" ] || fail "vglsd does not run as vgls"
code=$(checkout vm-packaged-1)
[ "$code" = 401 ] || fail "a checkout without the client token got $code, not 401"
code=$(checkout vm-packaged-1 "$(cat "$root/etc/vgls/client.token")")
[ "$code" = 200 ] || [ "$code" = 201 ] || fail "a checkout with the client token got $code: $(cat "$work/checkout.json")"
grep -q '"id":"lse_' "$work/checkout.json" || fail "the checkout answered no lease: $(cat "$work/checkout.json")"
ok "vglsd as vgls: checkout with the generated client token $code, without it 401"
in_root vglsctl --server "$url" --token-file /etc/vgls/admin.token status >"$work/status.txt" 2>&1 || {
  cat "$work/status.txt"
  fail "vglsctl status with the generated admin token failed"
}
rc=0
in_root vglsctl --server "$url" --token wrong status >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 4 ] || fail "vglsctl status with a wrong token exited $rc, not 4"
db=$(ls "$root"/var/lib/vgls/*.db 2>/dev/null | head -n 1)
[ -n "$db" ] || fail "no database in /var/lib/vgls"
expect_mode "${db#"$root"}" "600 vgls:vgls"
stop_vglsd
ok "vglsctl status with the generated admin token (4 with a wrong one); database 0600 vgls; SIGTERM exits 0"

# --- upgrade ----------------------------------------------------------------------------------
step "upgrading vgls-server to a newer version of the same package"
rm -rf "$work/repack"
dpkg-deb -R "$work/vgls-server.deb" "$work/repack"
version=$(sed -n 's/^Version: //p' "$work/repack/DEBIAN/control")
sed -i "s/^Version: .*/Version: $version+upgrade1/" "$work/repack/DEBIAN/control"
dpkg-deb -b "$work/repack" "$root/tmp/vgls-server-upgrade.deb" >/dev/null
admin_before=$(cat "$root/etc/vgls/admin.token")
client_before=$(cat "$root/etc/vgls/client.token")
in_root env DEBIAN_FRONTEND=noninteractive dpkg -i /tmp/vgls-server-upgrade.deb </dev/null \
  >"$work/upgrade.log" 2>&1 || {
  cat "$work/upgrade.log"
  fail "the upgrade failed"
}
[ "$(in_root dpkg-query -W -f='${Version}' vgls-server)" = "$version+upgrade1" ] || fail "not upgraded"
[ "$(cat "$root/etc/vgls/admin.token")" = "$admin_before" ] || fail "the upgrade changed the admin token"
[ "$(cat "$root/etc/vgls/client.token")" = "$client_before" ] || fail "the upgrade changed the client token"
grep -q "changed by the admin" "$root/etc/vgls/vglsd.toml" || fail "the upgrade lost the changed config"
expect_mode /var/lib/vgls "700 vgls:vgls"
start_vglsd
in_root vglsctl --server "$url" --token-file /etc/vgls/admin.token --json lease list \
  >"$work/leases.json" 2>&1 || fail "vglsctl lease list failed: $(cat "$work/leases.json")"
grep -q vm-packaged-1 "$work/leases.json" || fail "the upgrade lost the lease: $(cat "$work/leases.json")"
stop_vglsd
ok "upgrade keeps the tokens, the changed config and the data (the lease is still there)"

# --- remove and purge -------------------------------------------------------------------------
step "removing and purging vgls-server"
in_root dpkg -r vgls-server >"$work/remove.log" 2>&1 || {
  cat "$work/remove.log"
  fail "remove failed"
}
[ ! -e "$root/usr/sbin/vglsd" ] || fail "remove left vglsd"
[ -n "$(ls "$root"/var/lib/vgls/*.db 2>/dev/null)" ] || fail "remove deleted the database"
[ -f "$root/etc/vgls/admin.token" ] && [ -f "$root/etc/vgls/client.token" ] || fail "remove deleted the tokens"
[ -f "$root/etc/vgls/vglsd.toml" ] || fail "remove deleted the config"
for f in $shipped; do
  [ ! -e "$root/usr/share/vgls/$f" ] || fail "remove left /usr/share/vgls/$f"
done
ok "remove keeps the data, the tokens and the config"
in_root dpkg -P vgls-server >"$work/purge.log" 2>&1 || {
  cat "$work/purge.log"
  fail "purge failed"
}
[ ! -e "$root/var/lib/vgls" ] || fail "purge left /var/lib/vgls"
[ ! -e "$root/etc/vgls/admin.token" ] && [ ! -e "$root/etc/vgls/client.token" ] || fail "purge left the tokens"
[ ! -e "$root/etc/vgls/vglsd.toml" ] || fail "purge left the config"
[ ! -e "$wants/vglsd.service" ] || fail "purge left vglsd.service enabled"
[ -f "$root/etc/vgls/agent.toml" ] || fail "purging the server took the agent's config"
ok "purge removes the data, the tokens, the config and the unit's enablement"

# --- the agent: enabled at install when its config already names a server ---------------------
step "reinstalling vgls-agent onto a config that names a server"
in_root dpkg -P vgls-agent >"$work/agent.log" 2>&1 || fail "purging vgls-agent failed: $(cat "$work/agent.log")"
[ ! -e "$root/etc/vgls/agent.toml" ] || fail "purge left agent.toml"
mkdir -p "$root/etc/vgls"
printf 'servers = ["%s"]\nedition = "vWS"\n' "$url" >"$root/etc/vgls/agent.toml"
in_root env DEBIAN_FRONTEND=noninteractive dpkg --force-confold -i "/tmp/debs/$(basename "$agent_deb")" \
  </dev/null >>"$work/agent.log" 2>&1 || fail "installing vgls-agent failed: $(cat "$work/agent.log")"
[ -L "$wants/vgls-agent.service" ] || fail "vgls-agent.service is not enabled although servers is set"
! grep -q "installed disabled" "$work/agent.log" || fail "the agent said it is disabled"
grep -q "$url" "$root/etc/vgls/agent.toml" || fail "the install replaced the admin's agent.toml"
in_root vgls-agent --version >/dev/null || fail "vgls-agent does not run"
ok "vgls-agent installed onto a config naming a server is enabled, and keeps that config"

step "done"
echo "installed-test: $passed passed, 0 failed"
