#!/usr/bin/env bash
# Load on `tutti serve` (wrk, 64 connections, bench/api_wrk.lua): at least
# 10,000 StartExecution each followed by a DescribeExecution of it, then at
# least 10,000 invocations of a warm function (Lambda REST Invoke) — every answer
# 200, no socket error — and every execution started ends SUCCEEDED.
# Bounded: wrk runs in 5 s rounds, at most 60 s per phase.
. "$(dirname "$0")/lib.sh"
e2e_init api_load
need jq python3 curl
[ -x /usr/bin/wrk ] || skip "wrk is not installed (Debian package wrk)"
[ -f "$FN/noop.so" ] || skip "no $FN/noop.so"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
EP="http://127.0.0.1:$PORT"
export TUTTI_ENDPOINT="$EP"
e2e_bg "$TUTTI" serve --listen "127.0.0.1:$PORT" 2>"$W/serve.log"
for _ in $(seq 200); do curl -sf "$EP/health" >/dev/null 2>&1 && break; sleep 0.05; done
curl -sf "$EP/health" >/dev/null || { cat "$W/serve.log"; fail "tutti serve did not start"; }
cat >"$W/m.json" <<'EOF'
{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"x": 1}, "Next": "B"}, "B": {"Type": "Pass", "End": true}}}
EOF
run 0 "$TUTTI" state-machine create load --definition "$W/m.json"
SM=$(field .stateMachineArn)
run 0 "$TUTTI" function create noop --code "$FN/noop.so"

# phase MODE MIN_OK: wrk rounds until MIN_OK answers; totals in OK, STARTS.
phase() {
  local mode=$1 want=$2 round=0 line
  OK=0 STARTS=0
  while [ "$OK" -lt "$want" ]; do
    round=$((round + 1))
    [ "$round" -le 12 ] || fail "$mode: only $OK answers in 60 s (wanted $want)"
    TUTTI_WRK_MODE=$mode TUTTI_WRK_SM=$SM TUTTI_WRK_FN=noop TUTTI_WRK_PREFIX="r$round" \
      wrk -t2 -c64 -d5s --timeout 10s -s "$TUTTI_TOP/bench/api_wrk.lua" "$EP/" >"$W/wrk.out" 2>&1 ||
      { cat "$W/wrk.out"; fail "wrk failed"; }
    line=$(grep '^api_wrk:' "$W/wrk.out") || { cat "$W/wrk.out"; fail "no api_wrk line"; }
    set -- $line
    [ "${7}" = 0 ] && [ "${11}" = 0 ] || { cat "$W/wrk.out"; tail -5 "$W/serve.log"; fail "$mode: errors: $line"; }
    grep -q "Non-2xx" "$W/wrk.out" && { cat "$W/wrk.out"; fail "$mode: non-2xx answers"; }
    OK=$((OK + ${5})) STARTS=$((STARTS + ${9}))
    set -- "$mode" "$want"
  done
  echo "$mode: $OK answers, all 200 ($line)"
}

step "64 clients: StartExecution + DescribeExecution"
phase pair 20000
[ "$STARTS" -ge 10000 ] || fail "only $STARTS executions started"
TOTAL=$STARTS

step "64 clients: Lambda Invoke of a warm function"
phase invoke 10000

step "every execution finished"
python3 - "$EP" "$SM" "$TOTAL" <<'EOF' || fail "not every execution finished"
import json, sys, time, urllib.request
ep, sm, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
def call(body):
    r = urllib.request.Request(ep + "/", json.dumps(body).encode(), {
        "X-Amz-Target": "AWSStepFunctions.ListExecutions", "Content-Type": "application/x-amz-json-1.0"})
    return json.load(urllib.request.urlopen(r, timeout=30))
def count(status):
    n, tok = 0, None
    while True:
        b = {"stateMachineArn": sm, "statusFilter": status, "maxResults": 1000}
        if tok: b["nextToken"] = tok
        d = call(b)
        n += len(d["executions"])
        tok = d.get("nextToken")
        if not tok: return n
for _ in range(120):
    if count("RUNNING") == 0: break
    time.sleep(0.5)
ok = count("SUCCEEDED")
bad = {s: count(s) for s in ("RUNNING", "FAILED", "TIMED_OUT", "ABORTED")}
# wrk stops with up to 64 requests in flight per round: those executions
# started (the server answered after wrk stopped listening) and count too.
print("SUCCEEDED %d; %d starts answered to wrk; others %s" % (ok, total, bad))
sys.exit(0 if total <= ok <= total + 64 * 12 and not any(bad.values()) else 1)
EOF
ok "load: $TOTAL executions, all SUCCEEDED"
