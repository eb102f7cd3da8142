#!/usr/bin/env bash
# Takeover time (SPEC §7 target: serving within 5 s of the old active node's session ending, at
# 100,000 active leases). Two vglsd nodes share one local PostgreSQL (fsync and synchronous_commit
# on); the active node is filled with LEASES leases, then killed (kill -9: its session ends at
# once) or stopped (SIGSTOP: its session ends after storage.session_timeout); the time is taken
# from that moment until the standby answers 200 on /healthz/active, and until a lease checked out
# before renews there by its id.
#
#   bench/takeover.sh [LEASES]            # default 100000; kill -9, then SIGSTOP
#   SESSION_TIMEOUT=5s bench/takeover.sh 100000
#
# Environment: BUILD_DIR (default build/release-bench). Loopback only; all stopped on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
BUILD_DIR=${BUILD_DIR:-$repo/build/release-bench}
SESSION_TIMEOUT=${SESSION_TIMEOUT:-5s}
leases=${1:-100000}
vglsd=$BUILD_DIR/server/vglsd
bench=$BUILD_DIR/bench/vgls-bench
work=$(mktemp -d /tmp/vgls-takeover.XXXXXX)
. "$here/postgres.sh"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null; kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_bench_stop
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
now() { date +%s.%N; }

pg_bench_start "$work"
pg_bench_createdb takeover
token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$token" > "$work/admin.token"
cat > "$work/vgls.toml" <<TOML
[server]
rate_limit = 0
max_connections = 20000
admin_token_file = "$work/admin.token"

[trial]
enabled = false

[storage]
backend = "postgres"
postgres_dsn = "$PG_DSN_BASE/takeover"
session_timeout = "$SESSION_TIMEOUT"
takeover_interval = "1s"
TOML

start_node() {  # NAME → node_pid, node_url
  local port
  port=$(free_port)
  "$vglsd" --config "$work/vgls.toml" --listen "127.0.0.1:$port" --data-dir "$work/$1" \
    --log-level info > "$work/$1.log" 2>&1 &
  node_pid=$!
  pids+=("$node_pid")
  node_url=http://127.0.0.1:$port
  until curl -sf -o /dev/null "$node_url/healthz"; do
    kill -0 "$node_pid" 2>/dev/null || { cat "$work/$1.log" >&2; exit 1; }
    sleep 0.05
  done
}

until_active() {  # URL: seconds until /healthz/active answers 200
  local t0=$1 url=$2
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz/active")" = 200 ]; do sleep 0.01; done
  echo "$(now) - $t0" | bc
}

measure() {  # kill|stop
  start_node a; a_pid=$node_pid; a_url=$node_url
  sleep 0.5
  start_node b; b_pid=$node_pid; b_url=$node_url
  echo "== $leases leases on the active node $a_url; standby $b_url"
  "$bench" fill --url "$a_url" --count "$leases" --connections 128 --threads 2 \
    --admin-token-file "$work/admin.token" --create-pool $((leases + 1000)) --client-prefix fill >/dev/null
  probe=$(curl -s -X POST "$a_url/v1/leases" -H 'Content-Type: application/json' \
    -d '{"client_id":"probe","edition":"vWS"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["lease"]["id"])')
  if [ "$1" = kill ]; then
    t0=$(now); kill -9 "$a_pid"
    echo "kill -9 of the active node: the standby serves after $(until_active "$t0" "$b_url") s"
  else
    t0=$(now); kill -STOP "$a_pid"
    echo "SIGSTOP of the active node: the standby serves after $(until_active "$t0" "$b_url") s" \
      "(session_timeout $SESSION_TIMEOUT)"
  fi
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$b_url/v1/leases/$probe/renew")
  echo "a lease checked out before renews on the new active node: HTTP $code"
  grep -h "took over" "$work/b.log" | tail -1
  kill -CONT "$a_pid" 2>/dev/null || true
  kill "$a_pid" "$b_pid" 2>/dev/null || true
  wait "$a_pid" "$b_pid" 2>/dev/null || true
  rm -rf "$work/a" "$work/b"
  psql -X -q "$PG_DSN_BASE/takeover" -c "TRUNCATE leases, events, pools, lease_endings"
}

measure kill
measure stop
