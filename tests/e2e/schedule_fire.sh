#!/usr/bin/env bash
# A Scheduler schedule fires through a real `tutti serve`: an at() schedule
# three seconds ahead starts one execution of a state machine, named after
# the schedule and the fire time; the server is then killed with SIGKILL and
# restarted, and the fire must not start a second execution (the fire's
# claim is in the store). Then a rule with rate(1 minute) is created and
# ListFires shows a schedule's fires with the executions they started.
. "$(dirname "$0")/lib.sh"
e2e_init schedule_fire
need jq python3 curl
"$TUTTI" serve --help >/dev/null 2>&1 || skip "this tutti has no 'serve' command"

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

# aws ACTION JSON: one awsJson call (X-Amz-Target), the answer in $W/out.
aws() {
  local code
  code=$(curl -s -o "$W/out" -w '%{http_code}' -X POST "$TUTTI_ENDPOINT/" \
    -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Target: $1" --data-binary "$2")
  [ "$code" = 200 ] || { cat "$W/out"; fail "$1 answered $code"; }
}

executions() {   # the executions of state machine "tick", as JSON lines
  run 0 "$TUTTI" execution list --state-machine tick --output json
  jq -c '.executions[]' "$W/out"
}

cat >"$W/tick.json" <<'EOF'
{"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": {"ok": true}, "End": true}}}
EOF

serve_start
run 0 "$TUTTI" state-machine create tick --definition "$W/tick.json"
SM=$(field .stateMachineArn)

step "an at() schedule 3 s ahead"
AT=$(date -u -d "@$(( $(date +%s) + 3 ))" +%Y-%m-%dT%H:%M:%S)
STAMP=$(echo "$AT" | tr -d ':-')Z
run 0 "$TUTTI" schedule create soon --schedule-expression "at($AT)" --target "$SM" --target-input '{"from": "schedule"}'
SARN=$(field .ScheduleArn)
[ -n "$SARN" ] || fail "no ScheduleArn"

for _ in $(seq 150); do
  n=$(executions | jq -s 'map(select(.status == "SUCCEEDED")) | length')
  [ "$n" -ge 1 ] && break
  sleep 0.1
done
executions >"$W/before"
is "$(wc -l <"$W/before")" 1 "executions after the fire"
is "$(jq -r .status "$W/before")" SUCCEEDED "the fired execution"
is "$(jq -r .name "$W/before")" "soon-$STAMP" "the execution's name (schedule and fire time)"
EXEC=$(jq -r .executionArn "$W/before")
run 0 "$TUTTI" execution describe "$EXEC"
is "$(field .input | jq -c .)" '{"from":"schedule"}' "the execution's input (the target's Input)"
ok "one execution, $EXEC"

aws Tutti.ListFires "{\"ScheduleArn\": \"$SARN\"}"
is "$(jq '.Fires | length' "$W/out")" 1 "recorded fires"
is "$(jq -r '.Fires[0].ExecutionArn' "$W/out")" "$EXEC" "the fire's execution"

step "kill -9 and restart: no second execution for that fire"
kill -9 "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null || true
serve_start
sleep 3
executions >"$W/after"
is "$(wc -l <"$W/after")" 1 "executions after the restart"
aws Tutti.ListFires "{\"ScheduleArn\": \"$SARN\"}"
is "$(jq '.Fires | length' "$W/out")" 1 "recorded fires after the restart"

step "rules: PutRule, PutTargets, DeleteRule refused while it has targets"
aws AWSEvents.PutRule '{"Name": "every-minute", "ScheduleExpression": "rate(1 minute)"}'
RARN=$(jq -r .RuleArn "$W/out")
aws AWSEvents.PutTargets "{\"Rule\": \"every-minute\", \"Targets\": [{\"Id\": \"t\", \"Arn\": \"$SM\"}]}"
is "$(jq .FailedEntryCount "$W/out")" 0 "FailedEntryCount"
code=$(curl -s -o "$W/out" -w '%{http_code}' -X POST "$TUTTI_ENDPOINT/" \
  -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Target: AWSEvents.DeleteRule" \
  --data-binary '{"Name": "every-minute"}')
is "$code" 400 "DeleteRule of a rule with targets"
grep -q "has targets" "$W/out" || fail "DeleteRule's message: $(cat "$W/out")"
aws AWSEvents.DescribeRule '{"Name": "every-minute"}'
is "$(jq -r .Arn "$W/out")" "$RARN" "DescribeRule's Arn"
ok "schedules and rules through tutti serve"

kill "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null || true
