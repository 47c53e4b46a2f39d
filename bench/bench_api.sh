#!/usr/bin/env bash
# The AWS API of `tutti serve` under wrk (bench/api_wrk.lua, keep-alive,
# 2 wrk threads), a real server on 127.0.0.1 with its store on disk and
# fsync on ($TUTTI_BENCH_DIR, default /var/tmp):
#   api.start_execution_per_s_cN   StartExecution of a 2-state Pass machine
#   api.p99_ms_start_cN            its 99th percentile latency
#   api.invoke_per_s_cN            Lambda Invoke (REST) of a warm no-op function
#   api.invoke_p50_us_cN           its median latency, microseconds
#   api.p99_ms_invoke_cN           its 99th percentile latency
# for N = 16 and 64 connections; then api.executions_unfinished: how many
# of the executions started are not SUCCEEDED once the server has drained
# them (must be 0). Each run lasts $TUTTI_BENCH_API_S seconds (default 10).
# Comparison (issue 9, same kind of machine, same wrk load; not installed
# here): moto 5.2 ~140 StartExecution/s at 16 connections, LocalStack 4.9
# ~56/s. docs/bench.md.
set -uo pipefail
TOP=${TUTTI_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-build}
TUTTI=${TUTTI:-$TOP/$BUILD/bin/tutti}
S=${TUTTI_BENCH_API_S:-10}
[ -x /usr/bin/wrk ] || { echo "SKIP: api.*: wrk is not installed (Debian package wrk)"; exit 0; }
D=$(mktemp -d "${TUTTI_BENCH_DIR:-/var/tmp}/tutti-bench-api.XXXXXX")
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$D"' EXIT
export TUTTI_HOME=$D/home
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
EP="http://127.0.0.1:$PORT"
export TUTTI_ENDPOINT=$EP
"$TUTTI" serve --listen "127.0.0.1:$PORT" 2>"$D/serve.log" &
PID=$!
for _ in $(seq 200); do curl -sf "$EP/health" >/dev/null 2>&1 && break; sleep 0.05; done
curl -sf "$EP/health" >/dev/null || { echo "SKIP: api.*: tutti serve did not start"; exit 1; }
echo '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}' >"$D/m.json"
SM=$("$TUTTI" state-machine create bench --definition "$D/m.json" | jq -r .stateMachineArn)
"$TUTTI" function create noop --code "$TOP/$BUILD/functions/noop.so" >/dev/null || { echo "SKIP: api.invoke: no noop function"; }
STARTS=0 rc=0

one() {  # one MODE CONNS: prints the api_wrk line's fields
  TUTTI_WRK_MODE=$1 TUTTI_WRK_SM=$SM TUTTI_WRK_FN=noop TUTTI_WRK_PREFIX="$1$2" \
    wrk -t2 -c"$2" -d"${S}s" --timeout 10s -s "$TOP/bench/api_wrk.lua" "$EP/" 2>"$D/wrk.err" | grep '^api_wrk:'
}
for c in 16 64; do
  set -- $(one start $c)
  # api_wrk: requests R ok O bad B starts N errors E p50_us P p99_us Q seconds T
  [ "${7}" = 0 ] && [ "${11}" = 0 ] || { echo "api.start c$c: errors: $*" >&2; rc=1; }
  STARTS=$((STARTS + ${9}))
  awk -v o="${5}" -v t="${17}" -v c=$c -v p99="${15}" 'BEGIN {
    printf "api.start_execution_per_s_c%d: %.0f /s\n", c, o / t
    printf "api.p99_ms_start_c%d: %.2f ms\n", c, p99 / 1000 }'
  set -- $(one invoke $c)
  [ "${7}" = 0 ] && [ "${11}" = 0 ] || { echo "api.invoke c$c: errors: $*" >&2; rc=1; }
  awk -v o="${5}" -v t="${17}" -v c=$c -v p50="${13}" -v p99="${15}" 'BEGIN {
    printf "api.invoke_per_s_c%d: %.0f /s\n", c, o / t
    printf "api.invoke_p50_us_c%d: %.0f us\n", c, p50
    printf "api.p99_ms_invoke_c%d: %.2f ms\n", c, p99 / 1000 }'
done
# Every execution started finishes: none RUNNING after a drain, none failed.
python3 - "$EP" "$SM" "$STARTS" <<'EOF' || rc=1
import json, sys, time, urllib.request
ep, sm, starts = sys.argv[1], sys.argv[2], int(sys.argv[3])
def count(status):
    n, tok = 0, None
    while True:
        b = {"stateMachineArn": sm, "statusFilter": status, "maxResults": 1000}
        if tok: b["nextToken"] = tok
        r = urllib.request.Request(ep + "/", json.dumps(b).encode(), {
            "X-Amz-Target": "AWSStepFunctions.ListExecutions", "Content-Type": "application/x-amz-json-1.0"})
        d = json.load(urllib.request.urlopen(r, timeout=60))
        n += len(d["executions"]); tok = d.get("nextToken")
        if not tok: return n
for _ in range(240):
    if count("RUNNING") == 0: break
    time.sleep(0.5)
ok = count("SUCCEEDED")
bad = sum(count(s) for s in ("RUNNING", "FAILED", "TIMED_OUT", "ABORTED"))
print("api.executions_unfinished: %d of %d" % (bad + max(0, starts - ok), ok))
sys.exit(1 if bad or ok < starts else 0)
EOF
exit $rc
