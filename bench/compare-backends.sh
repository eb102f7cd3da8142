#!/usr/bin/env bash
# The storage backends side by side, in one run, with the same wrk driver (vgls_cycle.lua, one
# fresh client id per check out → renew → release cycle): vglsd on SQLite, vglsd on a local
# PostgreSQL (fsync = on, synchronous_commit = on), the vglsd of a baseline commit on SQLite (so
# the engine split is held to "no slower than before"), and etcd from ../shared/peers.
# Each vglsd runs ROUNDS times, interleaved, so that a slow minute of the machine hurts all alike.
#
#   bench/compare-backends.sh
#   CONNS=64 DURATION=10 ROUNDS=2 BASELINE_REF=18496b5 bench/compare-backends.sh
#   SKIP_BUILD=1 bench/compare-backends.sh      # reuse build/release-bench and build/baseline-bench
#
# Loopback only; everything started here is stopped on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
PEERS=${PEERS:-$(cd "$repo/../shared/peers" 2>/dev/null && pwd || echo /work/shared/peers)}
CONNS=${CONNS:-64}
WRK_THREADS=${WRK_THREADS:-$CONNS}   # etcd_cycle.lua needs one connection per thread
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
BUILD_DIR=${BUILD_DIR:-$repo/build/release-bench}
# The last commit before storage became an engine over two backends.
BASELINE_REF=${BASELINE_REF:-18496b5}
BASELINE_DIR=${BASELINE_DIR:-$repo/build/baseline-bench}
work=$(mktemp -d /tmp/vgls-backends.XXXXXX)
export PEERS_DIR="$work/peers"
. "$here/postgres.sh"

pids=()
peers_started=()
cleanup() {
  for p in "${peers_started[@]}"; do "$PEERS/peers.sh" stop "$p" >/dev/null 2>&1 || true; done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_bench_stop
  [ -n "${baseline_tree:-}" ] && git -C "$repo" worktree remove --force "$baseline_tree" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
log() { echo "== $*" >&2; }
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

build() {  # SOURCE BUILD_DIR
  cmake -S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVGLS_BUILD_TESTS=OFF \
    -DVGLS_BUILD_BENCH=ON >/dev/null
  cmake --build "$2" --target vglsd -j2 >/dev/null
}
if [ -z "${SKIP_BUILD:-}" ]; then
  log "building Release of this tree in $BUILD_DIR"
  build "$repo" "$BUILD_DIR"
  log "building Release of $BASELINE_REF in $BASELINE_DIR"
  baseline_tree=$work/baseline-src
  git -C "$repo" worktree add --detach "$baseline_tree" "$BASELINE_REF" >/dev/null 2>&1
  build "$baseline_tree" "$BASELINE_DIR"
fi

pg_bench_start "$work"
log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (fsync on, synchronous_commit on)"

wait_http() {
  for _ in $(seq 300); do
    kill -0 "$1" 2>/dev/null || { echo "process $1 exited before $2 answered" >&2; return 1; }
    curl -sf -o /dev/null "$2" && return 0
    sleep 0.1
  done
  echo "no answer from $2" >&2; return 1
}
field() { sed -n "s|.*$1\([0-9.]*\).*|\1|p" | tail -1; }

cycle() {  # NAME VGLSD STORAGE_TOML → cycles/s of one fresh server
  local name=$1 binary=$2 storage=$3 port dir pid out
  port=$(free_port)
  # Each server its own data dir (cycle runs in a subshell: no counter survives it).
  dir=$(mktemp -d "$work/run.XXXXXX")
  printf '[server]\nrate_limit = 0\nmax_connections = 20000\n\n[trial]\nenabled = false\n\n%s\n' \
    "$storage" > "$dir/vgls.toml"
  "$binary" --config "$dir/vgls.toml" --listen "127.0.0.1:$port" --data-dir "$dir/data" \
    --log-level warn > "$dir/vglsd.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_http "$pid" "http://127.0.0.1:$port/healthz" || { cat "$dir/vglsd.log" >&2; exit 1; }
  curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/v1/pools" \
    -H "Authorization: Bearer $(cat "$dir/data/admin.token")" -H 'Content-Type: application/json' \
    -d '{"id":"bench-vws","edition":"vWS","seats":1000000,"kind":"perpetual"}'
  out=$(wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" -s "$PEERS/vgls_cycle.lua" "http://127.0.0.1:$port")
  echo "$out" >&2
  kill "$pid"; wait "$pid" 2>/dev/null || true
  log "$name: $(echo "$out" | field 'cycles/s=') cycles/s"
  echo "$out" | field 'cycles/s='
}

sqlite=() postgres=() baseline=()
for round in $(seq "$ROUNDS"); do
  log "round $round of $ROUNDS: wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s -s vgls_cycle.lua"
  baseline+=("$(cycle "baseline $BASELINE_REF on SQLite" "$BASELINE_DIR/server/vglsd" '')")
  sqlite+=("$(cycle "vglsd on SQLite" "$BUILD_DIR/server/vglsd" '')")
  pg_bench_createdb "bench_$round"
  postgres+=("$(cycle "vglsd on PostgreSQL" "$BUILD_DIR/server/vglsd" \
    "[storage]
backend = \"postgres\"
postgres_dsn = \"$PG_DSN_BASE/bench_$round\"")")
done

log "etcd: wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s -s etcd_cycle.lua"
"$PEERS/peers.sh" start etcd >&2
peers_started+=(etcd)
etcd_out=$(wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" -s "$PEERS/etcd_cycle.lua" http://127.0.0.1:2379)
echo "$etcd_out" >&2
etcd=$(echo "$etcd_out" | field 'full cycles/s=')
"$PEERS/peers.sh" stop etcd >&2

python3 - "$etcd" "$BASELINE_REF" "${baseline[*]}" "${sqlite[*]}" "${postgres[*]}" <<'PY'
import sys
etcd, ref = float(sys.argv[1] or 0), sys.argv[2]
runs = [[float(x) for x in a.split()] for a in sys.argv[3:6]]
baseline, sqlite, postgres = (sum(r) / len(r) for r in runs)
def ratio(a, b): return a / b if b else float("nan")
def verdict(ok): return "met" if ok else "NOT met"
print(f"\n{'':36} {'cycles/s':>9}   runs")
for name, mean, r in [(f"vglsd {ref} on SQLite (baseline)", baseline, runs[0]),
                      ("vglsd on SQLite", sqlite, runs[1]),
                      ("vglsd on PostgreSQL", postgres, runs[2])]:
    print(f"{name:36} {mean:9.0f}   {' '.join(f'{x:.0f}' for x in r)}")
print(f"{'etcd (etcd_cycle.lua)':36} {etcd:9.0f}")
print("\ntarget                                   measured   verdict")
r = ratio(postgres, sqlite); print(f"{'PostgreSQL >= 0.5 x SQLite':40} {r:7.2f} x   {verdict(r >= 0.5)}")
r = ratio(postgres, etcd); print(f"{'PostgreSQL >= 5 x etcd':40} {r:7.1f} x   {verdict(r >= 5)}")
r = ratio(sqlite, baseline); print(f"{'SQLite within 5 % of the baseline':40} {r:7.2f} x   {verdict(r >= 0.95)}")
PY
