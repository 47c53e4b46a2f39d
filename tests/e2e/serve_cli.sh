#!/usr/bin/env bash
# End-to-end: tutti serve and the CLI of its resources — serve on a free
# port with a fresh $TUTTI_HOME, the endpoint file, GET /health, the AWS
# JSON API's error shapes, state-machine create/list/describe, executions
# started, described, listed and their history (json and text), a Wait
# execution stopped, a second server on the same home refused, SIGTERM →
# exit 0 and the endpoint file gone, read commands after the server stopped,
# and execution start with no server → the clear message, exit 1.
# Needs $TUTTI, $TUTTI_TOP, a fresh $TUTTI_HOME, jq, curl and python3.
. "$(dirname "$0")/lib.sh"
e2e_init serve_cli
need jq curl python3

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
EP="$TUTTI_HOME/serve.endpoint"
unset TUTTI_ENDPOINT

# wait_for CMD...: retry CMD for up to 10 s.
wait_for() { local i; for i in $(seq 200); do "$@" && return 0; sleep 0.05; done; return 1; }

step "serve"
"$TUTTI" serve --listen "127.0.0.1:$PORT" 2>"$W/serve.log" &
SERVE=$!
E2E_PIDS+=("$SERVE")
wait_for curl -sf "$URL/health" -o "$W/health" || { cat "$W/serve.log"; fail "tutti serve did not answer on $URL"; }
same_file() { jq -e --argjson e "$2" '. == $e' "$1" >/dev/null || fail "$1 is $(cat "$1"), expected $2"; }
same_file "$W/health" '{"status":"ok"}'
grep -qF "tutti serve: listening on $URL" "$W/serve.log" || fail "no listening line: $(cat "$W/serve.log")"
[ "$(cat "$EP")" = "$URL" ] || fail "endpoint file: '$(cat "$EP" 2>/dev/null)', expected $URL"
ok "listening on $URL, endpoint file written"

# the AWS JSON API itself
aws() { curl -s -o "$W/out" -w '%{http_code}' -X POST "$URL/" -H "X-Amz-Target: $1" \
	-H 'Content-Type: application/x-amz-json-1.0' --data-binary "$2"; }
code=$(aws AWSStepFunctions.ListStateMachines '{}')
is "$code" 200 "ListStateMachines over HTTP"
jq -e '.stateMachines == []' "$W/out" >/dev/null || fail "empty list: $(cat "$W/out")"
code=$(aws AWSStepFunctions.NoSuchThing '{}')
is "$code" 400 "unknown target"; is "$(field .__type)" UnknownOperationException "unknown target's type"
code=$(aws AWSStepFunctions.ListStateMachines '{"a":')
is "$code" 400 "malformed JSON"; is "$(field .__type)" SerializationException "malformed JSON's type"
code=$(aws AWSStepFunctions.DescribeExecution '{"executionArn":"arn:aws:states:local:000000000000:execution:nope:x"}')
[ "$code" -ge 400 ] && [ "$code" -lt 500 ] || fail "DescribeExecution of nothing: HTTP $code"
jq -e '(.__type | type) == "string" and (.message | type) == "string"' "$W/out" >/dev/null ||
	fail "error shape: $(cat "$W/out")"
ok "AWS JSON API answers and error shapes"

step "state machines"
cat >"$W/pass.json" <<'EOF'
{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"in.$": "$", "name.$": "$$.Execution.Name"}, "Next": "Q"},
 "Q": {"Type": "Pass", "End": true}}}
EOF
cat >"$W/wait.json" <<'EOF'
{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 100000, "End": true}}}
EOF
echo '{"StartAt": "Nope", "States": {}}' >"$W/bad.json"
run 0 "$TUTTI" state-machine create pass --definition "$W/pass.json"
SM=$(field .stateMachineArn)
[[ $SM == arn:aws:states:*:stateMachine:pass ]] || fail "stateMachineArn: $SM"
run 0 "$TUTTI" state-machine create waiter --definition "$W/wait.json"
# the same definition again is idempotent (as CreateStateMachine); another one is refused
run 0 "$TUTTI" state-machine create pass --definition "$W/pass.json"
is "$(field .stateMachineArn)" "$SM" "idempotent create"
run 1 "$TUTTI" state-machine create pass --definition "$W/wait.json"
grep -q "tutti: StateMachineAlreadyExists\|tutti: .*already exists" "$W/err" || fail "duplicate create: $(cat "$W/err")"
run 1 "$TUTTI" state-machine create bad --definition "$W/bad.json"
grep -q "InvalidDefinition" "$W/err" || fail "invalid definition: $(cat "$W/err")"
refused "--definition FILE is required" "$TUTTI" state-machine create nodef
run 0 "$TUTTI" state-machine describe pass
is "$(field .stateMachineArn)" "$SM" "describe by name"
jq -e '.definition | fromjson | .StartAt == "P"' "$W/out" >/dev/null || fail "describe's definition: $(cat "$W/out")"
run 0 "$TUTTI" state-machine list --output json
is "$(field '[.stateMachines[].name] | sort | join(",")')" "pass,waiter" "state-machine list json"
run 0 "$TUTTI" state-machine list
head -1 "$W/out" | grep -q "^NAME *TYPE *CREATED *ARN" || fail "state-machine list text header: $(cat "$W/out")"
grep -q "^pass  *STANDARD" "$W/out" || fail "state-machine list text: $(cat "$W/out")"
ok "state machines created, described, listed"

step "executions"
run 0 "$TUTTI" execution start pass --input '{"n": 1}' --name first
E1=$(field .executionArn)
jq -e '(.executionArn | test(":execution:pass:first$")) and (.startDate | type) == "number"' "$W/out" >/dev/null ||
	fail "start's answer: $(cat "$W/out")"
echo '{"n": 2}' >"$W/in.json"
run 0 "$TUTTI" execution start "$SM" --input @"$W/in.json"
E2=$(field .executionArn)
refused "not valid JSON" "$TUTTI" execution start pass --input '{nope'
succeeded() { "$TUTTI" execution describe "$1" >"$W/d" 2>/dev/null && [ "$(jq -r .status "$W/d")" = SUCCEEDED ]; }
wait_for succeeded "$E1" || fail "execution $E1 did not succeed: $(cat "$W/d")"
wait_for succeeded "$E2" || fail "execution $E2 did not succeed: $(cat "$W/d")"
run 0 "$TUTTI" execution describe "$E1"
jq -e --arg sm "$SM" --arg e "$E1" '.executionArn == $e and .stateMachineArn == $sm and .name == "first" and
	.status == "SUCCEEDED" and (.input | fromjson) == {"n": 1} and
	(.output | fromjson) == {"in": {"n": 1}, "name": "first"} and (.startDate | type) == "number" and
	(.stopDate | type) == "number"' "$W/out" >/dev/null || fail "describe: $(cat "$W/out")"
run 0 "$TUTTI" execution list --state-machine pass --output json
is "$(field '.executions | length')" 2 "execution list json"
is "$(field '[.executions[].status] | unique | join(",")')" SUCCEEDED "statuses"
run 0 "$TUTTI" execution list --status SUCCEEDED --output json
is "$(field '.executions | length')" 2 "--status SUCCEEDED"
run 0 "$TUTTI" execution list --state-machine pass --max-items 1 --output json
is "$(field '.executions | length')" 1 "--max-items 1"
TOKEN=$(field '.nextToken // empty')
[ -n "$TOKEN" ] || fail "--max-items 1 of 2 gave no nextToken: $(cat "$W/out")"
run 0 "$TUTTI" execution list --state-machine pass --max-items 1 --next-token "$TOKEN" --output json
is "$(field '.executions | length')" 1 "the second page"
run 0 "$TUTTI" execution list
head -1 "$W/out" | grep -q "^NAME *STATUS *STARTED *STOPPED *STATE MACHINE" || fail "list text header: $(cat "$W/out")"
grep -q "^first  *SUCCEEDED .* pass$" "$W/out" || fail "list text: $(cat "$W/out")"
ok "executions started, described, listed"

step "history"
run 0 "$TUTTI" execution history "$E1" --output json
jq -e '(.events | length) >= 6 and .events[0].type == "ExecutionStarted" and .events[0].id == 1 and
	.events[-1].type == "ExecutionSucceeded" and ([.events[].id] == [range(1; (.events | length) + 1)]) and
	([.events[] | select(.type == "PassStateEntered") | .stateEnteredEventDetails.name] == ["P", "Q"])' \
	"$W/out" >/dev/null || fail "history json: $(cat "$W/out")"
N=$(field '.events | length')
run 0 "$TUTTI" execution history "$E1" --output json --reverse
is "$(field '.events[0].type')" ExecutionSucceeded "--reverse"
run 0 "$TUTTI" execution history "$E1" --output json --max-items 2
is "$(field '.events | length')" 2 "history --max-items 2"
run 0 "$TUTTI" execution history "$E1"
head -1 "$W/out" | grep -q "^ID *TYPE *STATE *TIME *DETAIL" || fail "history text header: $(cat "$W/out")"
is "$(($(wc -l <"$W/out") - 1))" "$N" "history text lines"
grep -q "^2  *PassStateEntered  *P  " "$W/out" || fail "history text: $(cat "$W/out")"
grep -q "ExecutionSucceeded" "$W/out" || fail "history text: $(cat "$W/out")"
ok "history as json and text"

step "stop"
run 0 "$TUTTI" execution start waiter --name long
EW=$(field .executionArn)
run 0 "$TUTTI" execution describe "$EW"
is "$(field .status)" RUNNING "the Wait execution"
run 0 "$TUTTI" execution stop "$EW" --error Bored --cause "took too long"
jq -e '(.stopDate | type) == "number"' "$W/out" >/dev/null || fail "stop's answer: $(cat "$W/out")"
aborted() { "$TUTTI" execution describe "$EW" >"$W/d" 2>/dev/null && [ "$(jq -r .status "$W/d")" = ABORTED ]; }
wait_for aborted || fail "stopped execution: $(cat "$W/d")"
jq -e '.error == "Bored" and .cause == "took too long"' "$W/d" >/dev/null || fail "stop's error: $(cat "$W/d")"
run 0 "$TUTTI" execution history "$EW" --output json
is "$(field '.events[-1].type')" ExecutionAborted "the last event"
run 1 "$TUTTI" execution describe "arn:aws:states:local:000000000000:execution:pass:nope"
grep -q "ExecutionDoesNotExist" "$W/err" || fail "describe of nothing: $(cat "$W/err")"
ok "a Wait execution stopped"

step "one server per home"
PORT2=$(free_port)
run 1 "$TUTTI" serve --listen "127.0.0.1:$PORT2"
grep -q "StoreLocked" "$W/err" || fail "second server: $(cat "$W/err")"
run 1 env TUTTI_HOME="$(mktemp -d "$W/other.XXXXXX")" "$TUTTI" serve --listen "127.0.0.1:$PORT"
grep -qi "address already in use" "$W/err" || fail "port in use: $(cat "$W/err")"
[ "$(cat "$EP")" = "$URL" ] || fail "a refused server touched the endpoint file"
curl -sf "$URL/health" >/dev/null || fail "the first server stopped answering"
ok "a second server refused (home locked, port taken)"

step "SIGTERM"
kill -TERM "$SERVE"
rc=0; wait "$SERVE" || rc=$?
is "$rc" 0 "tutti serve's exit code after SIGTERM"
[ ! -e "$EP" ] || fail "the endpoint file outlived the server"
grep -q "tutti serve: stopped" "$W/serve.log" || fail "no stop line: $(cat "$W/serve.log")"
ok "SIGTERM: exit 0, endpoint file removed"

step "without a server"
run 0 "$TUTTI" execution describe "$E1"
is "$(field .status)" SUCCEEDED "describe with no server"
run 0 "$TUTTI" execution list --output json
is "$(field '.executions | length')" 3 "list with no server"
run 0 "$TUTTI" execution history "$E1" --output json
is "$(field '.events | length')" "$N" "history with no server"
run 0 "$TUTTI" state-machine list --output json
is "$(field '.stateMachines | length')" 2 "state-machine list with no server"
# the endpoint's port is closed now: TUTTI_ENDPOINT names it, so that a
# server someone runs on 8080 cannot take the call
run 1 env TUTTI_ENDPOINT="$URL" "$TUTTI" execution start pass
grep -qF "no tutti serve is running at $URL; start one with \`tutti serve\`" "$W/err" ||
	fail "start without a server: $(cat "$W/err")"
[ ! -s "$W/out" ] || fail "start without a server printed on stdout"
run 1 env TUTTI_ENDPOINT="$URL" "$TUTTI" task success some-token
grep -qF "no tutti serve is running at $URL" "$W/err" || fail "task without a server: $(cat "$W/err")"
# a change with no server goes to the store itself
run 0 "$TUTTI" state-machine create offline --definition "$W/pass.json"
run 0 "$TUTTI" state-machine list --output json
is "$(field '[.stateMachines[].name] | sort | join(",")')" "offline,pass,waiter" "created with no server"
run 0 "$TUTTI" state-machine delete offline
ok "reads and changes without a server; runs refused clearly"
