#!/usr/bin/env bash
# The cost of signing lease answers: cycles/s and boot-storm time of two vglsd builds,
# run alternately on fresh data dirs so that both see the same machine load.
#   bench/signing.sh BEFORE_BUILD_DIR AFTER_BUILD_DIR
# Environment: ROUNDS (default 3), CONNS (64), DURATION (10 s), CLIENTS (bootstorm, 5000),
# RATE (the paced run's cycles/s over all connections, default 500: checkout latency at a load
# both builds carry).
# Each build dir needs server/vglsd; vgls-bench comes from AFTER_BUILD_DIR. Prints each run and
# the median of each. Loopback only; everything started here is stopped on exit.
set -euo pipefail
before=${1:?before build dir}
after=${2:?after build dir}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
DURATION=${DURATION:-10}
CLIENTS=${CLIENTS:-5000}
RATE=${RATE:-500}
bench=$after/bench/vgls-bench
work=$(mktemp -d /tmp/vgls-signing.XXXXXX)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
printf '[server]\nrate_limit = 0\nmax_connections = 20000\n[trial]\nenabled = false\n' > "$work/vgls.toml"

start() {  # build dir
  rm -rf "$work/data"
  "$1/server/vglsd" --config "$work/vgls.toml" --listen "127.0.0.1:$port" --data-dir "$work/data" \
    --log-level warn >> "$work/vglsd.log" 2>&1 &
  server_pid=$!
  until curl -sf -o /dev/null "$url/healthz"; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/vglsd.log" >&2; exit 1; }
    sleep 0.05
  done
}
stop() {
  kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
}
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
checkout_ms() { python3 -c "import json,sys; c=json.load(sys.stdin)['latency']['checkout']; print(c['p50_ms'], c['p99_ms'])"; }

for round in $(seq "$ROUNDS"); do
  for side in before after; do
    dir=${!side}
    start "$dir"
    cps=$("$bench" cycle --url "$url" --connections "$CONNS" --duration "$DURATION" \
      --admin-token-file "$work/data/admin.token" --create-pool 1000000 --json | field cycles_per_second)
    paced=$("$bench" cycle --url "$url" --connections "$CONNS" --duration "$DURATION" --rate "$RATE" \
      --json | checkout_ms)
    stop
    start "$dir"
    storm=$("$bench" bootstorm --url "$url" --clients "$CLIENTS" --threads 2 \
      --admin-token-file "$work/data/admin.token" --create-pool "$CLIENTS" --pool-id storm-vws \
      --json | field time_to_last_lease_seconds)
    stop
    printf '%s round %s: %.0f cycles/s; paced %s/s checkout p50/p99 %s ms; bootstorm %s clients: %.3f s\n' \
      "$side" "$round" "$cps" "$RATE" "$paced" "$CLIENTS" "$storm"
    echo "$side $cps $storm $paced" >> "$work/results"
  done
done
python3 - "$work/results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
for side in ("before", "after"):
    cps = [float(r[1]) for r in rows if r[0] == side]
    storm = [float(r[2]) for r in rows if r[0] == side]
    p50 = [float(r[3]) for r in rows if r[0] == side]
    p99 = [float(r[4]) for r in rows if r[0] == side]
    print("%-6s median: %.0f cycles/s, bootstorm %.3f s, paced checkout p50 %.2f ms p99 %.2f ms" % (
        side, statistics.median(cps), statistics.median(storm), statistics.median(p50), statistics.median(p99)))
b = [float(r[1]) for r in rows if r[0] == "before"]; a = [float(r[1]) for r in rows if r[0] == "after"]
bs = [float(r[2]) for r in rows if r[0] == "before"]; as_ = [float(r[2]) for r in rows if r[0] == "after"]
print("change: cycles/s %+.1f %%, bootstorm time %+.1f %%" % (
    100 * (statistics.median(a) / statistics.median(b) - 1),
    100 * (statistics.median(as_) / statistics.median(bs) - 1)))
PY
