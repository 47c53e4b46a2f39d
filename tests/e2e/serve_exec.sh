#!/usr/bin/env bash
# tutti serve's executions beyond the happy path: callbacks (.waitForTaskToken)
# and their tokens across a restart, HeartbeatSeconds, stop, redrive,
# idempotent start, nested executions (.sync:2 and plain), a Wait that ends
# on time across a restart, invocation records, two servers on one home, a
# corrupt or newer database.
. "$(dirname "$0")/lib.sh"
e2e_init serve_exec
need jq python3 curl

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export TUTTI_ENDPOINT="http://127.0.0.1:$PORT"
SERVE_PID=
ARN_PREFIX=
serve_start() {
  "$TUTTI" serve --listen "127.0.0.1:$PORT" >>"$W/serve.log" 2>&1 &
  SERVE_PID=$!
  E2E_PIDS+=("$SERVE_PID")
  for _ in $(seq 200); do
    curl -sf "$TUTTI_ENDPOINT/health" >/dev/null 2>&1 && return 0
    kill -0 "$SERVE_PID" 2>/dev/null || { tail -20 "$W/serve.log"; fail "tutti serve exited"; }
    sleep 0.05
  done
  fail "tutti serve did not answer"
}
serve_kill() { kill -9 "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; }
# wait_status ARN STATUS: poll describe until the status is not RUNNING
wait_end() {
  for _ in $(seq 600); do
    run 0 "$TUTTI" execution describe "$1"
    [ "$(field .status)" != RUNNING ] && return 0
    sleep 0.05
  done
  fail "$1 still RUNNING"
}
sm() { echo "$2" >"$W/$1.json"; run 0 "$TUTTI" state-machine create "$1" --definition "$W/$1.json"; }
start() { run 0 "$TUTTI" execution start "$@"; field .executionArn; }
token_of() {   # the token the Task passed to its function
  "$TUTTI" execution history "$1" --output json |
    jq -r '[.events[] | select(.type == "TaskScheduled")][-1].taskScheduledEventDetails.parameters' |
    jq -r '.Payload.token'
}

for f in echo fail; do run 0 "$TUTTI" function create "$f" --code "$FN/$f.so"; done
run 0 "$TUTTI" function create dep --code "$FN/fail.so"
serve_start

step "callback: .waitForTaskToken completed by tutti task success, across a restart"
sm cb '{"StartAt": "T", "States": {"T": {"Type": "Task",
  "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
  "Parameters": {"FunctionName": "echo", "Payload": {"token.$": "$$.Task.Token"}}, "End": true}}}'
X=$(start cb --name cb1)
for _ in $(seq 100); do TOK=$(token_of "$X" 2>/dev/null || true); [ -n "$TOK" ] && [ "$TOK" != null ] && break; sleep 0.05; done
[ -n "$TOK" ] || fail "no task token in the history"
sleep 0.3
serve_kill; serve_start
run 0 "$TUTTI" execution describe "$X"; is "$(field .status)" RUNNING "waiting for its token after the restart"
run 0 "$TUTTI" task success "$TOK" '{"answer": 42}'
wait_end "$X"; is "$(field .status)" SUCCEEDED "callback"
is "$(field .output | jq -c .)" '{"answer":42}' "callback output"
run 1 "$TUTTI" task success "$TOK" '{}'
grep -q "TaskDoesNotExist\|TaskTimedOut" "$W/err" || fail "a used token: $(cat "$W/err")"
run 1 "$TUTTI" task success "not-a-token" '{}'
ok "callback"

step "callback failure and heartbeat timeout"
X=$(start cb --name cb2)
for _ in $(seq 100); do TOK=$(token_of "$X" 2>/dev/null || true); [ -n "$TOK" ] && [ "$TOK" != null ] && break; sleep 0.05; done
run 0 "$TUTTI" task failure "$TOK" --error Custom.Nope --cause "said no"
wait_end "$X"; is "$(field .status)" FAILED "task failure"; is "$(field .error)" Custom.Nope "task failure error"
sm hb '{"StartAt": "T", "States": {"T": {"Type": "Task", "HeartbeatSeconds": 4,
  "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
  "Parameters": {"FunctionName": "echo", "Payload": {"token.$": "$$.Task.Token"}}, "End": true}}}'
X=$(start hb --name hb1)
for _ in $(seq 100); do TOK=$(token_of "$X" 2>/dev/null || true); [ -n "$TOK" ] && [ "$TOK" != null ] && break; sleep 0.05; done
# generous margins: this runs under ASan on a loaded machine too
sleep 1.5; run 0 "$TUTTI" task heartbeat "$TOK"
sleep 2; run 0 "$TUTTI" execution describe "$X"; is "$(field .status)" RUNNING "alive after a heartbeat"
wait_end "$X"; is "$(field .status)" FAILED "no heartbeat"; is "$(field .error)" States.HeartbeatTimeout "heartbeat timeout"
ok "failure, heartbeat"

step "stop"
sm slow '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}'
X=$(start slow --name s1)
run 0 "$TUTTI" execution stop "$X" --error Operator.Stop --cause "no longer needed"
wait_end "$X"; is "$(field .status)" ABORTED "stop"; is "$(field .error)" Operator.Stop "stop error"
run 0 "$TUTTI" execution history "$X" --output json
is "$(jq -r '.events[-1].type' "$W/out")" ExecutionAborted "the last event"
ok "stop"

step "idempotent start"
X1=$(start slow --name same --input '{"a": 1}')
X2=$(start slow --name same --input '{"a": 1}')
is "$X2" "$X1" "the same name and input again"
run 1 "$TUTTI" execution start slow --name same --input '{"a": 2}'
grep -q ExecutionAlreadyExists "$W/err" || fail "same name, other input: $(cat "$W/err")"
run 1 "$TUTTI" execution start slow --name 'bad name'
grep -q InvalidName "$W/err" || fail "invalid name: $(cat "$W/err")"
run 1 "$TUTTI" execution start nosuch
grep -q StateMachineDoesNotExist "$W/err" || fail "unknown machine: $(cat "$W/err")"
python3 -c 'print("{\"s\": \"" + "x" * 262200 + "\"}")' >"$W/big.json"
run 1 "$TUTTI" execution start slow --input "@$W/big.json"
grep -q "InvalidExecutionInput\|too large\|larger" "$W/err" || fail "oversized input: $(cat "$W/err")"
run 0 "$TUTTI" execution stop "$X1"
ok "idempotent start and refusals"

step "redrive from the failed state"
sm rd '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "ResultPath": "$.a", "Next": "T"},
  "T": {"Type": "Task", "Resource": "dep", "ResultPath": "$.t", "End": true}}}'
X=$(start rd --name r1 --input '{"x": 1}')
wait_end "$X"; is "$(field .status)" FAILED "before the redrive"
run 0 "$TUTTI" function update dep --code "$FN/echo.so"
run 0 "$TUTTI" execution redrive "$X"
wait_end "$X"; is "$(field .status)" SUCCEEDED "after the redrive"
is "$(field .redriveCount)" 1 "redriveCount"
run 0 "$TUTTI" execution history "$X" --output json
is "$(jq '[.events[] | select(.type == "ExecutionRedriven")] | length' "$W/out")" 1 "ExecutionRedriven"
is "$(jq '[.events[] | select(.type == "PassStateEntered")] | length' "$W/out")" 1 "A ran once"
jq -e '[.events[].id] == [range(1; (.events | length) + 1)]' "$W/out" >/dev/null || fail "history ids"
run 1 "$TUTTI" execution redrive "$X"
grep -q ExecutionNotRedrivable "$W/err" || fail "redrive a SUCCEEDED execution: $(cat "$W/err")"
ok "redrive"

step "nested executions"
sm child '{"StartAt": "C", "States": {"C": {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.v, $.v)"}, "End": true}}}'
CHILD="${X%%:execution:*}:stateMachine:child"
CHILD="arn:aws:states:${CHILD#arn:aws:states:}"
sm parent "{\"StartAt\": \"S\", \"States\": {
  \"S\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::states:startExecution.sync:2\",
         \"Parameters\": {\"StateMachineArn\": \"$CHILD\", \"Input\": {\"v.\$\": \"\$.v\"}}, \"ResultPath\": \"\$.sync\", \"Next\": \"P\"},
  \"P\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::states:startExecution\",
         \"Parameters\": {\"StateMachineArn\": \"$CHILD\", \"Input\": {\"v\": 1}}, \"ResultPath\": \"\$.plain\", \"End\": true}}}"
X=$(start parent --name p1 --input '{"v": 21}')
wait_end "$X"; is "$(field .status)" SUCCEEDED "parent"
OUT=$(field .output)
is "$(echo "$OUT" | jq -r .sync.Output.doubled)" 42 ".sync:2 output"
is "$(echo "$OUT" | jq -r .sync.Status)" SUCCEEDED ".sync:2 status"
CX=$(echo "$OUT" | jq -r .plain.ExecutionArn)
wait_end "$CX"
is "$(field .tuttiParentExecutionArn)" "$X" "the child knows its parent"
ok "nested"

step "express executions: not checkpointed, at most once"
echo '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "fast", "End": true}}}' >"$W/ex.json"
run 0 "$TUTTI" state-machine create ex --definition "$W/ex.json" --type EXPRESS
X=$(start ex --name ex1)
wait_end "$X"; is "$(field .status)" SUCCEEDED "express"; is "$(field .output)" '"fast"' "express output"
echo '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}' >"$W/exw.json"
run 0 "$TUTTI" state-machine create exw --definition "$W/exw.json" --type EXPRESS
X=$(start exw --name exw1)
sleep 0.3; serve_kill; serve_start
wait_end "$X"; is "$(field .status)" FAILED "an express execution the server lost"
is "$(field .error)" States.Runtime "its error"
run 1 "$TUTTI" execution redrive "$X"
grep -q ExecutionNotRedrivable "$W/err" || fail "express redrive: $(cat "$W/err")"
ok "express"

step "a Wait ends on time across a restart"
# Wait 4 s; the server is down from 1 s to about 3 s. Absolute due times
# end it about 4 s after it began; a timer restarted on recovery would
# end it 7 s or more after.
sm w4 '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 4, "End": true}}}'
X=$(start w4 --name w1)
sleep 1; serve_kill; sleep 2; serve_start
wait_end "$X"; is "$(field .status)" SUCCEEDED "wait across a restart"
python3 -c "import sys; d=$(field .stopDate)-$(field .startDate); sys.exit(0 if 3.9 <= d <= 6.0 else 1)" ||
  fail "the wait took $(field .stopDate) - $(field .startDate)"
ok "wait"

step "invocation records"
run 0 "$TUTTI" logs echo
grep -q "REPORT RequestId: " "$W/out" || fail "no REPORT line in tutti logs echo"
ok "logs"

step "two servers, one home"
run 1 "$TUTTI" serve --listen 127.0.0.1:0
grep -q "StoreLocked\|another tutti serve" "$W/err" || fail "second server: $(cat "$W/err")"
ok "lock"

step "a corrupt or newer database refuses to start"
kill -TERM "$SERVE_PID"; wait "$SERVE_PID" || fail "SIGTERM"
cp "$TUTTI_HOME/tutti.db" "$W/good.db"
python3 - "$TUTTI_HOME/tutti.db" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version = 999"); c.commit(); c.close()
EOF
run 1 "$TUTTI" serve --listen 127.0.0.1:0
grep -q "StoreSchemaTooNew" "$W/err" || fail "newer schema: $(cat "$W/err")"
rm -f "$TUTTI_HOME/tutti.db-wal" "$TUTTI_HOME/tutti.db-shm"
head -c 8192 /dev/urandom >"$TUTTI_HOME/tutti.db"
run 1 "$TUTTI" serve --listen 127.0.0.1:0
grep -q "StoreCorrupt" "$W/err" || fail "corrupt: $(cat "$W/err")"
cp "$W/good.db" "$TUTTI_HOME/tutti.db"
serve_start
run 0 "$TUTTI" execution describe "$X"; is "$(field .status)" SUCCEEDED "the good file again"
ok "corrupt and newer databases refused, nothing lost"
