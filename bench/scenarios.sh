#!/usr/bin/env bash
# The heavy scenarios, each against its own fresh vglsd (Release build):
#   bench/scenarios.sh bootstorm [CLIENTS [SEATS]] # default 10000 clients on as many seats
#   bench/scenarios.sh million [LEASES]           # default 1000000: RSS, restart, latency, pages
#   bench/scenarios.sh expire-storm [LEASES]      # default 100000 leases ending at one second
# Environment: BUILD_DIR (default build/release-bench, built by compare.sh or by hand),
# RATE (paced cycles/s for latency comparisons, default 2000), DURATION (default 10),
# BACKEND (sqlite, the default, or postgres: a local PostgreSQL with fsync and synchronous_commit
# on, started here; see bench/postgres.sh).
# Loopback only; everything started here is stopped on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
BUILD_DIR=${BUILD_DIR:-$repo/build/release-bench}
RATE=${RATE:-2000}
DURATION=${DURATION:-10}
vglsd=$BUILD_DIR/server/vglsd
bench=$BUILD_DIR/bench/vgls-bench
scenario=${1:-}
work=$(mktemp -d /tmp/vgls-scenario.XXXXXX)

# Many connections: the open-file limit of this shell is inherited by vglsd and vgls-bench.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

BACKEND=${BACKEND:-sqlite}
. "$here/postgres.sh"
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  pg_bench_stop
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
token_file=$work/data/admin.token

storage_toml=
if [ "$BACKEND" = postgres ]; then
  pg_bench_start "$work"
  pg_bench_createdb bench
  storage_toml="[storage]
backend = \"postgres\"
postgres_dsn = \"$PG_DSN_BASE/bench\""
  echo "PostgreSQL on 127.0.0.1:$PG_PORT (fsync on, synchronous_commit on)"
fi

write_config() {  # extra TOML lines
  cat > "$work/vgls.toml" <<TOML
[server]
rate_limit = 0
max_connections = 20000

[trial]
enabled = false

$storage_toml
$*
TOML
}

start_server() {  # sets server_pid, and ready_seconds: until /healthz answered
  local t0
  t0=$(date +%s.%N)
  "$vglsd" --config "$work/vgls.toml" --listen "127.0.0.1:$port" --data-dir "$work/data" \
    --log-level warn >> "$work/vglsd.log" 2>&1 &
  server_pid=$!
  until curl -sf -o /dev/null "$url/healthz"; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/vglsd.log" >&2; exit 1; }
    sleep 0.05
  done
  ready_seconds=$(echo "$(date +%s.%N) - $t0" | bc)
}

stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

rss_mib() { echo $(( $(ps -o rss= -p "$server_pid") / 1024 )); }

timed_get() {  # PATH [curl options]: seconds for the whole answer
  local path=$1; shift
  curl -s -o /dev/null -w '%{time_total} s (HTTP %{http_code}, %{size_download} bytes)' "$@" "$url$path"
}

summary() {  # JSON from vgls-bench → one line
  python3 -c '
import json, sys
r = json.load(sys.stdin)
c = r["latency"]["checkout"]
print("%.0f cycles/s, checkout p50 %.2f ms, p99 %.2f ms, max %.2f ms, transport errors %d" % (
    r.get("cycles_per_second", 0), c["p50_ms"], c["p99_ms"], c["max_ms"], r["transport_errors"]))'
}

case "$scenario" in
  bootstorm)
    clients=${2:-10000}
    seats=${3:-$clients}   # fewer seats than clients: the pool must still never be overdrawn
    write_config
    start_server
    echo "vglsd ready in $ready_seconds s"
    echo "== bootstorm: $clients clients on $seats seats"
    "$bench" bootstorm --url "$url" --clients "$clients" --threads 2 --admin-token-file "$token_file" \
      --create-pool "$seats" --pool-id storm-vws
    ;;
  million)
    leases=${2:-1000000}
    write_config
    start_server
    echo "vglsd ready in $ready_seconds s; RSS $(rss_mib) MiB"
    "$bench" cycle --url "$url" --connections 4 --duration 1 --admin-token-file "$token_file" \
      --create-pool $(( leases + 100000 )) --pool-id bench-vws >/dev/null
    echo "== empty store, 64 connections paced at $RATE cycles/s: $("$bench" cycle --url "$url" \
      --connections 64 --duration "$DURATION" --rate "$RATE" --json | summary)"
    echo "== empty store, 64 connections flat out: $("$bench" cycle --url "$url" --connections 64 \
      --duration "$DURATION" --json | summary)"
    echo "== fill $leases leases"
    "$bench" fill --url "$url" --count "$leases" --connections 128 --threads 2 --client-prefix fill
    echo "RSS with $leases leases: $(rss_mib) MiB"
    echo "GET /v1/pools: $(timed_get /v1/pools -H "Authorization: Bearer $(cat "$token_file")")"
    echo "GET / (status page): $(timed_get / -H "Authorization: Bearer $(cat "$token_file")")"
    echo "GET /v1/server: $(timed_get /v1/server -H "Authorization: Bearer $(cat "$token_file")")"
    echo "GET /v1/leases?limit=1000: $(timed_get '/v1/leases?limit=1000' \
      -H "Authorization: Bearer $(cat "$token_file")")"
    # A hostname prefix: the work is in proportion to the matches (none, then every lease).
    echo "GET /v1/leases?hostname=none-: $(timed_get '/v1/leases?hostname=none-' \
      -H "Authorization: Bearer $(cat "$token_file")")"
    echo "GET /v1/leases?hostname=bench: $(timed_get '/v1/leases?hostname=bench' \
      -H "Authorization: Bearer $(cat "$token_file")")"
    echo "== $leases leases, 64 connections paced at $RATE cycles/s: $("$bench" cycle --url "$url" \
      --connections 64 --duration "$DURATION" --rate "$RATE" --json | summary)"
    echo "== $leases leases, 64 connections flat out: $("$bench" cycle --url "$url" --connections 64 \
      --duration "$DURATION" --json | summary)"
    stop_server
    start_server
    echo "== restart with $leases leases: ready in $ready_seconds s; RSS $(rss_mib) MiB"
    echo "first checkout after restart: $(timed_get /v1/leases -X POST -H 'Content-Type: application/json' \
      -d '{"client_id":"after-restart","edition":"vWS"}')"
    echo "GET /v1/pools after restart: $(timed_get /v1/pools -H "Authorization: Bearer $(cat "$token_file")")"
    echo "== after restart, 64 connections paced at $RATE cycles/s: $("$bench" cycle --url "$url" \
      --connections 64 --duration "$DURATION" --rate "$RATE" --json | summary)"
    ;;
  expire-storm)
    leases=${2:-100000}
    write_config
    start_server
    echo "vglsd ready in $ready_seconds s"
    # The fill runs at some 10,000-20,000 leases/s here; leave it time before the storm.
    storm_in=$(( 10 + leases / 10000 ))
    echo "== $leases leases ending at one second ($storm_in s from now) under 64 connections at $RATE cycles/s"
    "$bench" expire-storm --url "$url" --count "$leases" --storm-in "$storm_in" --after 15 \
      --storm-window 5 --connections 64 --rate "$RATE" --threads 2 \
      --admin-token-file "$token_file" --create-pool 100000 --pool-id bench-vws
    echo "RSS after the storm: $(rss_mib) MiB"
    ;;
  *)
    echo "usage: $0 {bootstorm [CLIENTS [SEATS]] | million [LEASES] | expire-storm [LEASES]}" >&2
    exit 2 ;;
esac
