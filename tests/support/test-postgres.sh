#!/usr/bin/env bash
# PostgreSQL servers for the tests: clusters made with initdb in temporary directories, listening
# on free loopback ports only. Each server is described by a STATE directory:
#   start STATE            a new cluster and its server; writes STATE/dsn (libpq keyword form, the
#                          superuser "postgres", database "postgres"). Trust authentication, unless
#                          VGLS_TEST_POSTGRES_PASSWORD is set: then TCP logins need that password.
#   replica PRIMARY STATE  a streaming replica of PRIMARY made with pg_basebackup, started
#   halt STATE             stops the server (fast shutdown), keeps the cluster
#   resume STATE           starts a halted server again, on the same port
#   promote STATE          promotes a replica to primary
#   stop STATE             stops the server and removes the cluster
# fsync is off: the tests check vglsd's durability, not PostgreSQL's. Run as root, the servers
# run as the "postgres" user that Debian's postgresql package creates.
set -euo pipefail

usage="usage: test-postgres.sh start|halt|resume|promote|stop STATE | replica PRIMARY STATE"
command=${1:?$usage}

bindir=${VGLS_POSTGRES_BINDIR:-}
if [ -z "$bindir" ]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && bindir=$candidate
  done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "test-postgres: no PostgreSQL server binaries (initdb, postgres) found;" \
    "install Debian's postgresql package (scripts/install-deps.sh does)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

new_cluster_dir() {
  local dir
  dir=$(mktemp -d /tmp/vgls-test-postgres.XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  echo "$dir"
}

# Starts the server of STATE on STATE/port, or on a free port it picks and records.
run_server() {
  local state=$1 cluster ports port
  cluster=$(cat "$state/cluster")
  if [ -f "$state/port" ]; then ports=$(cat "$state/port"); else
    ports=$(for _ in $(seq 1 20); do echo $((20000 + RANDOM % 10000)); done)
  fi
  for port in $ports; do
    if as_owner "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
      -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off \
          -c full_page_writes=off -c max_connections=300 -c wal_level=replica" \
      start >/dev/null 2>&1; then
      echo "$port" >"$state/port"
      echo "host=127.0.0.1 port=$port user=postgres dbname=postgres" >"$state/dsn"
      echo "test-postgres: PostgreSQL on 127.0.0.1:$port, cluster in $cluster"
      return 0
    fi
  done
  echo "test-postgres: the server did not start; its log:" >&2
  cat "$cluster/server.log" >&2 || true
  return 1
}

halt() {
  local state=$1
  [ -f "$state/cluster" ] || return 0
  as_owner "$bindir/pg_ctl" -D "$(cat "$state/cluster")/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

remove() {
  local state=$1
  if [ -f "$state/cluster" ]; then
    as_owner "$bindir/pg_ctl" -D "$(cat "$state/cluster")/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$(cat "$state/cluster")"
  fi
  rm -f "$state/cluster" "$state/dsn" "$state/port"
}

case "$command" in
  start)
    state=${2:?$usage}
    mkdir -p "$state"
    remove "$state"
    cluster=$(new_cluster_dir)
    echo "$cluster" >"$state/cluster"
    auth=(-A trust)
    if [ -n "${VGLS_TEST_POSTGRES_PASSWORD:-}" ]; then
      printf '%s\n' "$VGLS_TEST_POSTGRES_PASSWORD" >"$cluster/password"
      [ "$(id -u)" -eq 0 ] && chown postgres: "$cluster/password"
      auth=(--auth-local=trust --auth-host=scram-sha-256 --pwfile="$cluster/password")
    fi
    as_owner "$bindir/initdb" -D "$cluster/data" -U postgres "${auth[@]}" --no-sync \
      -E UTF8 --locale=C.UTF-8 >"$cluster/initdb.log" 2>&1 || {
      cat "$cluster/initdb.log" >&2
      exit 1
    }
    run_server "$state"
    ;;
  replica)
    primary=${2:?$usage}
    state=${3:?$usage}
    mkdir -p "$state"
    remove "$state"
    cluster=$(new_cluster_dir)
    echo "$cluster" >"$state/cluster"
    as_owner "$bindir/pg_basebackup" -d "$(cat "$primary/dsn")" -D "$cluster/data" -R \
      -X stream -c fast >"$cluster/basebackup.log" 2>&1 || {
      cat "$cluster/basebackup.log" >&2
      exit 1
    }
    run_server "$state"
    ;;
  halt) halt "${2:?$usage}" ;;
  resume) run_server "${2:?$usage}" ;;
  promote)
    state=${2:?$usage}
    as_owner "$bindir/pg_ctl" -D "$(cat "$state/cluster")/data" -w -t 60 promote >/dev/null
    ;;
  stop) remove "${2:?$usage}" ;;
  *)
    echo "$usage" >&2
    exit 2
    ;;
esac
