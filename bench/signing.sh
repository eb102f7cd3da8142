#!/usr/bin/env bash
# The cost of signing lease answers: cycles/s and boot-storm time of two vglsd builds,
# run alternately on fresh data dirs so that both see the same machine load.
#   bench/signing.sh BEFORE_BUILD_DIR AFTER_BUILD_DIR
# Environment: ROUNDS (default 3), CONNS (64), DURATION (10 s), CLIENTS (bootstorm, 5000),
# RATE (the paced run's cycles/s over all connections, default 500: checkout latency at a load
# both builds carry). Besides cycles/s, each run prints vglsd's CPU time per cycle, which what else
# the host runs disturbs less.
# Each build dir needs server/vglsd; vgls-bench comes from AFTER_BUILD_DIR. A build with a reserve
# of prepared signatures is measured once the reserve is full. Prints each run and the median of
# each. Loopback only; everything started here is stopped on exit.
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
  # A build that prepares signatures ahead (vgls_signing_reserve_*) is measured as a fleet meets
  # it: after the idle time that fills its reserve.
  until curl -sf "$url/metrics" | python3 -c '
import sys
m = dict(l.split()[:2] for l in sys.stdin if l.startswith("vgls_signing_reserve_"))
sys.exit(0 if m.get("vgls_signing_reserve_ready") == m.get("vgls_signing_reserve_capacity") else 1)'; do
    sleep 0.5
  done
}
stop() {
  kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
}
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }  # user + system, in clock ticks
checkout_ms() { python3 -c "import json,sys; c=json.load(sys.stdin)['latency']['checkout']; print(c['p50_ms'], c['p99_ms'])"; }

for round in $(seq "$ROUNDS"); do
  for side in before after; do
    dir=${!side}
    start "$dir"
    cpu_before=$(cpu_ticks)
    cycle=$("$bench" cycle --url "$url" --connections "$CONNS" --duration "$DURATION" \
      --admin-token-file "$work/data/admin.token" --create-pool 1000000 --json)
    cpu_after=$(cpu_ticks)
    cps=$(field cycles_per_second <<<"$cycle")
    cycles=$(field cycles <<<"$cycle")
    # vglsd's CPU time per cycle: less sensitive than cycles/s to what else the host runs.
    cpu_us=$(python3 -c "print(round(($cpu_after - $cpu_before) * 1e6 / $(getconf CLK_TCK) / $cycles, 1))")
    paced=$("$bench" cycle --url "$url" --connections "$CONNS" --duration "$DURATION" --rate "$RATE" \
      --json | checkout_ms)
    stop
    start "$dir"
    storm=$("$bench" bootstorm --url "$url" --clients "$CLIENTS" --threads 2 \
      --admin-token-file "$work/data/admin.token" --create-pool "$CLIENTS" --pool-id storm-vws \
      --json | field time_to_last_lease_seconds)
    stop
    printf '%s round %s: %.0f cycles/s, %s µs of vglsd CPU per cycle; paced %s/s checkout p50/p99 %s ms; bootstorm %s clients: %.3f s\n' \
      "$side" "$round" "$cps" "$cpu_us" "$RATE" "$paced" "$CLIENTS" "$storm"
    echo "$side $cps $storm $paced $cpu_us" >> "$work/results"
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
    cpu = [float(r[5]) for r in rows if r[0] == side]
    print("%-6s median: %.0f cycles/s, %.1f µs CPU/cycle, bootstorm %.3f s, paced checkout p50 %.2f ms p99 %.2f ms" % (
        side, statistics.median(cps), statistics.median(cpu), statistics.median(storm), statistics.median(p50), statistics.median(p99)))
b = [float(r[1]) for r in rows if r[0] == "before"]; a = [float(r[1]) for r in rows if r[0] == "after"]
bs = [float(r[2]) for r in rows if r[0] == "before"]; as_ = [float(r[2]) for r in rows if r[0] == "after"]
bc = [float(r[5]) for r in rows if r[0] == "before"]; ac = [float(r[5]) for r in rows if r[0] == "after"]
print("change: cycles/s %+.1f %%, bootstorm time %+.1f %%, vglsd CPU per cycle %+.1f %%" % (
    100 * (statistics.median(a) / statistics.median(b) - 1),
    100 * (statistics.median(as_) / statistics.median(bs) - 1),
    100 * (statistics.median(ac) / statistics.median(bc) - 1)))
PY
