#!/bin/sh
# The shipped Grafana dashboard is JSON Grafana can import (a title, a uid, panels with PromQL
# targets), and every metric that it or the alert rules name is one a real vglsd exposes.
# Usage: dashboard-metrics.sh VGLSD DASHBOARD_JSON ALERT_RULES
set -eu
vglsd=$1 dashboard=$2 rules=$3
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - "$dashboard" > "$work/dashboard-metrics" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
assert d.get("title") and d.get("uid"), "dashboard needs a title and a uid"
exprs = [t["expr"] for p in d["panels"] for t in p.get("targets", [])]
assert exprs, "dashboard has no PromQL targets"
for p in d["panels"]:
    assert p.get("title") and p.get("type") and p.get("gridPos"), "panel without title, type or gridPos"
print("\n".join(sorted({m for e in exprs for m in re.findall(r"\bvgls_[a-z_]+", e)})))
PY
grep -o 'vgls_[a-z_]*' "$rules" | sort -u > "$work/rules-metrics"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$vglsd" --listen "127.0.0.1:$port" --data-dir "$work/data" > "$work/vglsd.log" 2>&1 &
pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# One checkout, so the request and checkout families have samples.
curl -sf -XPOST "http://127.0.0.1:$port/v1/leases" -H 'Content-Type: application/json' \
     -d '{"client_id":"vm1","edition":"vWS"}' >/dev/null
curl -sf "http://127.0.0.1:$port/metrics" | grep -v '^#' | sed 's/[{ ].*//' | sort -u > "$work/exposed"

missing=$(cat "$work/dashboard-metrics" "$work/rules-metrics" | sort -u | comm -23 - "$work/exposed")
if [ -n "$missing" ]; then
  echo "named by the dashboard or the alert rules but not exposed by vglsd:" >&2
  echo "$missing" >&2
  exit 1
fi
echo "dashboard and rules name $(cat "$work/dashboard-metrics" "$work/rules-metrics" | sort -u | wc -l) metrics, all exposed"
