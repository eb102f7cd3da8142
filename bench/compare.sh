#!/usr/bin/env bash
# Side-by-side cycle throughput in one run on this machine: vgls against etcd and Redis
# (appendfsync always) from ../shared/peers, and against beast-ceiling (a Beast server answering
# 200 to everything: the ceiling of vgls's HTTP path). vgls, etcd and the ceiling are driven by the
# same wrk with the same -t/-c/-d; Redis by the peers' node driver with the same connections and
# seconds. beast-ceiling --lease-answers, driven by vgls_cycle.lua like vgls, is the cycle ceiling:
# what a server with no work behind its lease routes gets through this driver on this machine.
# Then vgls-bench measures checkout latency at 64 and 1,000 keep-alive connections.
#
#   bench/compare.sh                      # build (Release), run everything, print the table
#   CONNS=64 DURATION=10 bench/compare.sh
#   SKIP_BUILD=1 BUILD_DIR=... bench/compare.sh
#
# Everything listens on 127.0.0.1 only; everything started here is stopped on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
PEERS=${PEERS:-$(cd "$repo/../shared/peers" 2>/dev/null && pwd || echo /work/shared/peers)}
CONNS=${CONNS:-64}
WRK_THREADS=${WRK_THREADS:-$CONNS}   # etcd_cycle.lua needs one connection per thread
DURATION=${DURATION:-10}
BUILD_DIR=${BUILD_DIR:-$repo/build/release-bench}
free_port() {  # a loopback TCP port that was free a moment ago (others may run servers here too)
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
VGLS_PORT=${VGLS_PORT:-$(free_port)}
CEILING_PORT=${CEILING_PORT:-$(free_port)}
CYCLE_CEILING_PORT=${CYCLE_CEILING_PORT:-$(free_port)}
BIG_CONNS=${BIG_CONNS:-1000}
work=$(mktemp -d /tmp/vgls-compare.XXXXXX)
export PEERS_DIR="$work/peers"

# 1,000 connections in one process and the server's own: raise the open-file limit as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

pids=()
peers_started=()
cleanup() {
  for p in "${peers_started[@]}"; do "$PEERS/peers.sh" stop "$p" >/dev/null 2>&1 || true; done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

log() { echo "== $*" >&2; }

if [ -z "${SKIP_BUILD:-}" ]; then
  log "building Release in $BUILD_DIR"
  cmake -S "$repo" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVGLS_BUILD_TESTS=OFF >/dev/null
  cmake --build "$BUILD_DIR" --target vglsd vgls-bench beast-ceiling -j2 >/dev/null
fi
vglsd=$BUILD_DIR/server/vglsd
bench=$BUILD_DIR/bench/vgls-bench
ceiling=$BUILD_DIR/bench/beast-ceiling

wait_http() {  # PID URL: until it answers, 15 s at most, while that process lives
  for _ in $(seq 150); do
    kill -0 "$1" 2>/dev/null || { echo "process $1 exited before $2 answered" >&2; return 1; }
    curl -sf -o /dev/null "$2" && return 0
    sleep 0.1
  done
  echo "no answer from $2" >&2; return 1
}

# --- vgls: release build, fresh data dir, no trial, one big perpetual vWS pool (vgls_cycle.lua
# checks out vWS with a new client id per cycle).
cat > "$work/vgls.toml" <<TOML
[server]
rate_limit = 0
max_connections = 20000

[trial]
enabled = false
TOML
"$vglsd" --config "$work/vgls.toml" --listen "127.0.0.1:$VGLS_PORT" --data-dir "$work/vgls-data" \
  --log-level warn > "$work/vglsd.log" 2>&1 &
pids+=($!)
vgls_url=http://127.0.0.1:$VGLS_PORT
wait_http "${pids[-1]}" "$vgls_url/healthz" || { cat "$work/vglsd.log" >&2; exit 1; }
token_file=$work/vgls-data/admin.token
curl -sf -o /dev/null -X POST "$vgls_url/v1/pools" -H "Authorization: Bearer $(cat "$token_file")" \
  -H 'Content-Type: application/json' \
  -d '{"id":"bench-vws","edition":"vWS","seats":1000000,"kind":"perpetual"}'

"$ceiling" --listen "127.0.0.1:$CEILING_PORT" --threads 2 > "$work/ceiling.log" 2>&1 &
pids+=($!)
wait_http "${pids[-1]}" "http://127.0.0.1:$CEILING_PORT/" || { cat "$work/ceiling.log" >&2; exit 1; }

"$ceiling" --listen "127.0.0.1:$CYCLE_CEILING_PORT" --threads 2 --lease-answers \
  > "$work/cycle-ceiling.log" 2>&1 &
pids+=($!)
wait_http "${pids[-1]}" "http://127.0.0.1:$CYCLE_CEILING_PORT/" ||
  { cat "$work/cycle-ceiling.log" >&2; exit 1; }

wrk_run() {  # SCRIPT-or-empty URL → wrk's output
  local script=()
  [ -n "$1" ] && script=(-s "$1")
  wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency "${script[@]}" "$2"
}
field() { sed -n "s|.*$1\([0-9.]*\).*|\1|p" | tail -1; }

log "vgls: wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s -s vgls_cycle.lua"
vgls_out=$(wrk_run "$PEERS/vgls_cycle.lua" "$vgls_url")
echo "$vgls_out" >&2
vgls_cps=$(echo "$vgls_out" | field 'cycles/s=')

log "beast-ceiling: wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s"
ceiling_out=$(wrk_run "" "http://127.0.0.1:$CEILING_PORT/")
echo "$ceiling_out" >&2
ceiling_rps=$(echo "$ceiling_out" | field 'Requests/sec: *')

log "beast-ceiling --lease-answers: wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s -s vgls_cycle.lua"
cycle_ceiling_out=$(wrk_run "$PEERS/vgls_cycle.lua" "http://127.0.0.1:$CYCLE_CEILING_PORT")
echo "$cycle_ceiling_out" >&2
cycle_ceiling_cps=$(echo "$cycle_ceiling_out" | field 'cycles/s=')

log "etcd: wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s -s etcd_cycle.lua"
"$PEERS/peers.sh" start etcd >&2
peers_started+=(etcd)
etcd_out=$(wrk_run "$PEERS/etcd_cycle.lua" http://127.0.0.1:2379)
echo "$etcd_out" >&2
etcd_cps=$(echo "$etcd_out" | field 'full cycles/s=')
"$PEERS/peers.sh" stop etcd >&2

log "redis (appendfsync always): node redis/cycle.js 6390 $CONNS $DURATION"
"$PEERS/peers.sh" start redis >&2
peers_started+=(redis)
read -r acquire renew release < "$PEERS_DIR/redis/shas" || true  # no trailing newline
redis_out=$(node "$PEERS/redis/cycle.js" 6390 "$CONNS" "$DURATION" "$acquire" "$renew" "$release")
echo "$redis_out" >&2
redis_cps=$(echo "$redis_out" | field ' cycles/s=')
"$PEERS/peers.sh" stop redis >&2

log "vgls-bench cycle, $CONNS and $BIG_CONNS keep-alive connections"
small=$("$bench" cycle --url "$vgls_url" --connections "$CONNS" --duration "$DURATION" --json)
# Closed-loop, 1,000 connections only measure queueing (latency = connections / throughput); the
# p99 target is for 1,000 connections at a load the server carries: half of the 64-connection rate.
BIG_RATE=${BIG_RATE:-$(echo "$small" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["cycles_per_second"] / 2))')}
big=$("$bench" cycle --url "$vgls_url" --connections "$BIG_CONNS" --duration "$DURATION" --rate "$BIG_RATE" --json)
flat=$("$bench" cycle --url "$vgls_url" --connections "$BIG_CONNS" --duration "$DURATION" --json)

python3 - "$vgls_cps" "$etcd_cps" "$redis_cps" "$ceiling_rps" "$small" "$big" "$CONNS" "$BIG_CONNS" "$flat" \
  "$cycle_ceiling_cps" <<'PY'
import json, sys
vgls, etcd, redis, ceiling = (float(x or 0) for x in sys.argv[1:5])
cycle_ceiling = float(sys.argv[10] or 0)
small, big, flat = json.loads(sys.argv[5]), json.loads(sys.argv[6]), json.loads(sys.argv[9])
conns, big_conns = sys.argv[7], sys.argv[8]
def ratio(a, b): return a / b if b else float("nan")
def verdict(ok): return "met" if ok else "NOT met"
print(f"\n{'peer':34} {'cycles/s':>10}")
print(f"{'vgls (wrk, vgls_cycle.lua)':34} {vgls:10.0f}")
print(f"{'etcd (wrk, etcd_cycle.lua)':34} {etcd:10.0f}")
print(f"{'redis fsync always (node driver)':34} {redis:10.0f}")
print(f"{'beast-ceiling req/s / 3':34} {ceiling / 3:10.0f}   ({ceiling:.0f} req/s)")
print(f"{'cycle ceiling (wrk, vgls_cycle.lua)':34} {cycle_ceiling:10.0f}   (beast-ceiling --lease-answers)")
print(f"{'vgls (vgls-bench cycle)':34} {small['cycles_per_second']:10.0f}")
print("\ntarget                                   measured   verdict")
r = ratio(vgls, etcd)
print(f"{'vgls >= 10 x etcd':40} {r:7.1f} x   {verdict(r >= 10)}")
r = ratio(vgls, redis)
print(f"{'vgls >= 1.5 x redis-fsync-always':40} {r:7.2f} x   {verdict(r >= 1.5)}")
r = ratio(vgls, ceiling / 3)
print(f"{'vgls >= 0.5 x (ceiling req/s / 3)':40} {r:7.2f} x   {verdict(r >= 0.5)}")
p99 = big["latency"]["checkout"]["p99_ms"]
print(f"{'(no work at all: cycle ceiling / etcd)':40} {ratio(cycle_ceiling, etcd):7.1f} x"
      f"   vgls is {ratio(vgls, cycle_ceiling):.2f} of the cycle ceiling")
print(f"{'checkout p99 <= 10 ms @ ' + big_conns + ' conns':40} {p99:7.2f} ms  {verdict(p99 <= 10)}"
      f"   (paced at {big['rate']:.0f} cycles/s: got {big['cycles_per_second']:.0f}, {big['transport_errors']} transport errors)")
print(f"{'checkout p99 @ ' + big_conns + ' conns, flat out':40} {flat['latency']['checkout']['p99_ms']:7.2f} ms"
      f"   ({flat['cycles_per_second']:.0f} cycles/s)")
print(f"{'checkout p99 @ ' + conns + ' conns (vgls-bench)':40} {small['latency']['checkout']['p99_ms']:7.2f} ms")
PY
