#!/usr/bin/env bash
# A throwaway PostgreSQL for the benchmarks, durable as production runs it (fsync = on,
# synchronous_commit = on), on a free loopback port. Sourced by the bench scripts:
#   . bench/postgres.sh; pg_bench_start DIR; ... "$PG_DSN_BASE/dbname" ...; pg_bench_stop
# Runs the server as the `postgres` user when started as root (PostgreSQL refuses root).
pg_bin=${VGLS_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bench_start() {  # DIR → PG_PORT, PG_DIR, PG_DSN_BASE
  [ -x "$pg_bin/initdb" ] || { echo "PostgreSQL is not installed (scripts/install-deps.sh)" >&2; return 1; }
  PG_DIR=$1/postgres
  mkdir -p "$PG_DIR"
  # The server runs as postgres: it must reach its directory through the (private) work dir.
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR" && chmod a+x "$1"
  PG_PORT=${PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
  pg_as_owner "$pg_bin/initdb" -D "$PG_DIR/cluster" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  pg_as_owner "$pg_bin/pg_ctl" -D "$PG_DIR/cluster" -l "$PG_DIR/log" -w -o \
    "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR \
     -c fsync=on -c synchronous_commit=on -c shared_buffers=256MB -c max_wal_size=4GB \
     ${PG_EXTRA_SETTINGS:-}" start >/dev/null
  PG_DSN_BASE=postgresql://postgres@127.0.0.1:$PG_PORT
}

pg_bench_createdb() {  # NAME
  psql -X -q "$PG_DSN_BASE/postgres" -c "CREATE DATABASE $1"
}

pg_bench_stop() {
  [ -n "${PG_DIR:-}" ] && pg_as_owner "$pg_bin/pg_ctl" -D "$PG_DIR/cluster" -m fast -w stop >/dev/null 2>&1 || true
}
