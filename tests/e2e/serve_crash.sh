#!/usr/bin/env bash
# The crash test of tutti serve: 200 executions mixing Task (real
# functions), Wait, Map, Parallel, Retry and Catch; the server is killed
# with SIGKILL at random moments, 10 times, and restarted each time. Every
# execution must end SUCCEEDED with the output a run without crashes gives,
# with a well-formed history: ids 1..N, each previousEventId earlier, each
# state entered exactly as often as in a run without crashes (a Task that
# was in flight may be scheduled again: at-least-once), nothing lost.
. "$(dirname "$0")/lib.sh"
e2e_init serve_crash
need jq python3 curl

N=${CRASH_EXECUTIONS:-200}
KILLS=${CRASH_KILLS:-10}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export TUTTI_ENDPOINT="http://127.0.0.1:$PORT"
SERVE_PID=

serve_start() {
  "$TUTTI" serve --listen "127.0.0.1:$PORT" >>"$W/serve.log" 2>&1 &
  SERVE_PID=$!
  E2E_PIDS+=("$SERVE_PID")
  for _ in $(seq 200); do
    curl -sf "$TUTTI_ENDPOINT/health" >/dev/null 2>&1 && return 0
    kill -0 "$SERVE_PID" 2>/dev/null || { tail -20 "$W/serve.log"; fail "tutti serve exited"; }
    sleep 0.05
  done
  tail -20 "$W/serve.log"; fail "tutti serve did not answer on $TUTTI_ENDPOINT"
}

step "functions and the state machine"
for f in echo add fail; do
  run 0 "$TUTTI" function create "$f" --code "$FN/$f.so"
done
cat >"$W/crash.json" <<'EOF'
{"StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Parameters": {"n.$": "$.n",
           "items": [{"a": 1, "b": 2}, {"a": 3, "b": 4}, {"a": 5, "b": 6}]}, "Next": "Echo"},
  "Echo": {"Type": "Task", "Resource": "echo", "ResultPath": "$.echo", "Next": "Wait"},
  "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Map"},
  "Map": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "ResultPath": "$.sums",
          "ItemProcessor": {"StartAt": "Add", "States": {
            "Add": {"Type": "Task", "Resource": "add", "Next": "Hold"},
            "Hold": {"Type": "Wait", "Seconds": 1, "End": true}}},
          "Next": "Par"},
  "Par": {"Type": "Parallel", "ResultPath": "$.par", "Branches": [
    {"StartAt": "P1", "States": {
      "P1": {"Type": "Wait", "Seconds": 1, "Next": "P2"},
      "P2": {"Type": "Pass", "Result": "b1", "End": true}}},
    {"StartAt": "F", "States": {
      "F": {"Type": "Task", "Resource": "fail",
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 1}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.caught", "Next": "G"}],
            "End": true},
      "G": {"Type": "Pass", "Parameters": {"error.$": "$.caught.Error"}, "End": true}}}],
   "Next": "Done"},
  "Done": {"Type": "Pass", "End": true}}}
EOF
serve_start
run 0 "$TUTTI" state-machine create crash --definition "$W/crash.json"
SM=$(field .stateMachineArn)

step "a reference execution without crashes"
run 0 "$TUTTI" execution start crash --input '{"n": 0}' --name reference
REF=$(field .executionArn)
for _ in $(seq 300); do
  run 0 "$TUTTI" execution describe "$REF"
  [ "$(field .status)" = RUNNING ] || break
  sleep 0.1
done
is "$(field .status)" SUCCEEDED "the reference execution"
field .output >"$W/ref.out"
run 0 "$TUTTI" execution history "$REF" --output json
cp "$W/out" "$W/ref.history"

step "$N executions, $KILLS kills"
for i in $(seq "$N"); do
  "$TUTTI" execution start crash --input "{\"n\": $i}" --name "x$i" >/dev/null ||
    fail "execution start x$i"
  if [ $((i % 40)) = 0 ] && [ "$KILLS" -gt 0 ]; then
    kill -9 "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true
    KILLS=$((KILLS - 1)); serve_start
  fi
done
while [ "$KILLS" -gt 0 ]; do
  sleep "$(python3 -c 'import random; print(round(random.uniform(0.2, 1.5), 2))')"
  kill -9 "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true
  KILLS=$((KILLS - 1)); serve_start
done

step "every execution ends"
for _ in $(seq 600); do
  left=$("$TUTTI" execution list --state-machine crash --status RUNNING --output json | jq '.executions | length')
  [ "$left" = 0 ] && break
  sleep 0.2
done
[ "$left" = 0 ] || fail "$left executions still RUNNING"
kill -TERM "$SERVE_PID"; wait "$SERVE_PID" || fail "tutti serve did not stop cleanly on SIGTERM"

step "outputs and histories"
for i in $(seq "$N"); do
  arn="${SM/:stateMachine:/:execution:}:x$i"
  "$TUTTI" execution describe "$arn" >"$W/d.$i" || fail "describe x$i"
  "$TUTTI" execution history "$arn" --output json >"$W/h.$i" || fail "history x$i"
done
python3 - "$W" "$N" <<'EOF' || fail "the executions after the crashes differ from the reference"
import json, sys, collections
w, n = sys.argv[1], int(sys.argv[2])
ref_out = json.loads(open(f"{w}/ref.out").read())
ref_ev = json.load(open(f"{w}/ref.history"))["events"]
def counts(evs):
    return collections.Counter(e["type"] for e in evs)
rc = counts(ref_ev)
retried = 0
bad = 0
for i in range(1, n + 1):
    d = json.load(open(f"{w}/d.{i}"))
    evs = json.load(open(f"{w}/h.{i}"))["events"]
    want = json.loads(json.dumps(ref_out))
    want["n"] = i
    want["echo"]["n"] = i
    errs = []
    if d["status"] != "SUCCEEDED":
        errs.append(f"status {d['status']} {d.get('error')} {d.get('cause')}")
    elif json.loads(d["output"]) != want:
        errs.append(f"output {d['output']}")
    ids = [e["id"] for e in evs]
    if ids != list(range(1, len(ids) + 1)):
        errs.append(f"ids {ids}")
    if any(e["previousEventId"] >= e["id"] for e in evs):
        errs.append("a previousEventId is not earlier")
    c = counts(evs)
    for t in set(rc) | set(c):
        if t in ("TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskFailed",
                 "LambdaFunctionScheduled", "LambdaFunctionStarted",
                 "LambdaFunctionSucceeded", "LambdaFunctionFailed"):
            if c[t] < rc[t]:
                errs.append(f"{t}: {c[t]} < {rc[t]}")
        elif c[t] != rc[t]:
            errs.append(f"{t}: {c[t]} != {rc[t]}")
    if c["LambdaFunctionScheduled"] > rc["LambdaFunctionScheduled"]:
        retried += 1
    if errs:
        bad += 1
        if bad <= 5:
            print(f"x{i}: " + "; ".join(errs)[:600])
print(f"{n - bad}/{n} executions as the reference; {retried} re-ran a task that was in flight")
sys.exit(1 if bad else 0)
EOF
ok "$N executions survived the kills"
