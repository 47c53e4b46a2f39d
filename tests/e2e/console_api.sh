#!/usr/bin/env bash
# The server side of the web console, with curl against a real `tutti serve`:
# the compiled-in static files (CSP, ETag/304, 404, HEAD, the /console
# redirect), /console/api/config, the graph route (SVG of a definition and
# of a stored machine, errors), and tutti's own read actions the console
# uses: Tutti.ListExecutions (nameContains, counts, outputPreview, pages),
# Tutti.DescribeExecutionStates and Tutti.ListMapIterations (a Map of 1,000
# items, a caught and a failed state), Tutti.NextFireTimes (expressions,
# zones, a schedule's StartDate/EndDate, a rule, errors). And the browser
# guard: a Host that is not a loopback name (DNS rebinding) and a
# cross-site POST are refused; with credentials the page is public and the
# API is not.
. "$(dirname "$0")/lib.sh"
e2e_init console_api
need jq python3 curl

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
EP="http://127.0.0.1:$PORT"
export TUTTI_ENDPOINT=$EP
"$TUTTI" serve --listen "127.0.0.1:$PORT" >>"$W/serve.log" 2>&1 &
SERVE_PID=$!
E2E_PIDS+=("$SERVE_PID")
for _ in $(seq 200); do curl -sf "$EP/health" >/dev/null 2>&1 && break; sleep 0.05; done
curl -sf "$EP/health" >/dev/null || { tail -20 "$W/serve.log"; fail "tutti serve did not answer"; }

# api TARGET JSON: an awsJson1_0 request; body in $W/out, status in $W/status
api() {
  curl -s -o "$W/out" -w '%{http_code}' -X POST "$EP/" -H "X-Amz-Target: $1" \
    -H 'Content-Type: application/x-amz-json-1.0' --data-binary "$2" >"$W/status"
}
status() { cat "$W/status"; }
ok_api() { api "$@"; [ "$(status)" = 200 ] || fail "$1 $2: $(status) $(cat "$W/out")"; }
err_api() {   # err_api STATUS TYPE TARGET JSON
  local st=$1 type=$2; shift 2
  api "$@"
  is "$(status)" "$st" "$1 $2: status"
  is "$(field .__type)" "$type" "$1 $2: error"
}

step "static files"
code=$(curl -s -D "$W/h" -o "$W/b" -w '%{http_code}' "$EP/console/favicon.svg")
is "$code" 200 "favicon.svg"
grep -qi "^Content-Type: image/svg+xml" "$W/h" || fail "favicon content type: $(cat "$W/h")"
grep -qi "^Content-Security-Policy: default-src 'self'; script-src 'self';" "$W/h" || fail "no CSP: $(cat "$W/h")"
grep -qi "^X-Frame-Options: DENY" "$W/h" || fail "no X-Frame-Options"
grep -qi "^X-Content-Type-Options: nosniff" "$W/h" || fail "no nosniff"
cmp -s "$W/b" "$TUTTI_TOP/console/web/favicon.svg" || fail "favicon.svg bytes differ from console/web"
etag=$(awk 'tolower($1) == "etag:" { print $2 }' "$W/h" | tr -d '\r')
[ -n "$etag" ] || fail "no ETag"
is "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$EP/console/favicon.svg")" 304 "If-None-Match"
is "$(curl -s -o /dev/null -w '%{http_code}' -H 'If-None-Match: "0"' "$EP/console/favicon.svg")" 200 "another ETag"
is "$(curl -s -o /dev/null -w '%{http_code}' -I "$EP/console/favicon.svg")" 200 "HEAD"
is "$(curl -s -o /dev/null -w '%{http_code}' "$EP/console/no-such.js")" 404 "a missing file"
is "$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$EP/console/../tutti.db")" 404 "a path with .."
code=$(curl -s -D "$W/h" -o /dev/null -w '%{http_code}' "$EP/console")
is "$code" 301 "/console"
grep -qi "^Location: /console/" "$W/h" || fail "/console redirect: $(cat "$W/h")"
if [ -f "$TUTTI_TOP/console/web/index.html" ]; then
  curl -s "$EP/console/" -o "$W/b"
  cmp -s "$W/b" "$TUTTI_TOP/console/web/index.html" || fail "/console/ is not index.html"
fi
run 0 curl -sf "$EP/console/api/config"
same '{"auth": false, "region": "local", "version": "0.1.0"}'
ok "static files"

step "Tutti.ListExecutions"
printf '%s' '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"key":"todos/2026-12-07.json"},"End":true}}}' >"$W/p.json"
run 0 "$TUTTI" state-machine create pm --definition "$W/p.json"
SM=$(field .stateMachineArn)
for n in alpha beta alphabet gamma-alpha delta; do run 0 "$TUTTI" execution start "$SM" --name "$n"; done
for _ in $(seq 100); do
  ok_api Tutti.ListExecutions '{}'
  [ "$(field .counts.SUCCEEDED)" = 5 ] && break; sleep 0.05
done
is "$(field .counts.SUCCEEDED)" 5 "counts.SUCCEEDED"
is "$(field .counts.RUNNING)" 0 "counts.RUNNING"
is "$(field '.executions[0].outputPreview')" '{"key":"todos/2026-12-07.json"}' "outputPreview"
ok_api Tutti.ListExecutions '{"nameContains": "alpha", "maxResults": 2}'
is "$(field '[.executions[].name] | join(",")')" "gamma-alpha,alphabet" "nameContains, newest first"
tok=$(field .nextToken)
[ "$tok" != null ] || fail "no nextToken"
ok_api Tutti.ListExecutions "{\"nameContains\": \"alpha\", \"maxResults\": 2, \"nextToken\": \"$tok\"}"
is "$(field '[.executions[].name] | join(",")')" "alpha" "the second page"
is "$(field .nextToken)" null "no third page"
ok_api Tutti.ListExecutions "{\"stateMachineArn\": \"$SM\", \"statusFilter\": \"FAILED\"}"
is "$(field '.executions | length')" 0 "no FAILED"
ok_api Tutti.ListExecutions '{"nameContains": "%"}'
is "$(field '.executions | length')" 0 "% is a character, not a pattern"
err_api 400 ValidationException Tutti.ListExecutions '{"statusFilter": "NOPE"}'
err_api 400 ValidationException Tutti.ListExecutions '{"maxResults": 5000}'
err_api 400 ValidationException Tutti.ListExecutions "{\"nameContains\": \"$(printf 'x%.0s' $(seq 100))\"}"
ok "list, search, counts"

step "the graph route"
code=$(curl -s -o "$W/g.svg" -w '%{http_code}' -X POST --data "{\"stateMachineArn\": \"$SM\"}" "$EP/console/api/graph")
is "$code" 200 "graph of a stored machine"
python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$W/g.svg" || fail "the SVG does not parse"
grep -q 'id="state:A"' "$W/g.svg" || fail "no node state:A in $(head -c 300 "$W/g.svg")"
jq -n --rawfile d "$W/p.json" '{definition: $d}' >"$W/req"
code=$(curl -s -o "$W/g2.svg" -w '%{http_code}' -X POST --data-binary @"$W/req" "$EP/console/api/graph")
is "$code" 200 "graph of a definition"
cmp -s "$W/g.svg" "$W/g2.svg" || fail "the same definition drew two ways"
code=$(curl -s -o "$W/out" -w '%{http_code}' -X POST --data '{"definition": "{\"StartAt\": \"X\"}"}' "$EP/console/api/graph")
is "$code" 400 "an invalid definition"
is "$(field .__type)" InvalidDefinition "its error"
code=$(curl -s -o "$W/out" -w '%{http_code}' -X POST --data 'not json' "$EP/console/api/graph")
is "$code" 400 "a body that is not JSON"
code=$(curl -s -o "$W/out" -w '%{http_code}' -X POST --data '{"stateMachineArn": "arn:aws:states:local:000000000000:stateMachine:nope"}' "$EP/console/api/graph")
is "$code" 400 "an unknown machine"
is "$(field .__type)" StateMachineDoesNotExist "its error"
# a state name with a control character still draws an SVG that parses
printf '{"definition": "{\\"StartAt\\": \\"A\\\\u0001B\\", \\"States\\": {\\"A\\\\u0001B\\": {\\"Type\\": \\"Pass\\", \\"End\\": true}}}"}' >"$W/req"
code=$(curl -s -o "$W/c.svg" -w '%{http_code}' -X POST --data-binary @"$W/req" "$EP/console/api/graph")
is "$code" 200 "a name with a control character"
python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$W/c.svg" || fail "that SVG does not parse"
# many labelled edges: the layout runs in a process of its own, killed after 10 s, the server unharmed
python3 - "$W/choice.json" <<'PY'
import json, sys
st = {f"C{i}": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": j, "Next": f"C{(i + j + 1) % 30}"}
                                              for j in range(30)], "Default": "End"} for i in range(30)}
st["End"] = {"Type": "Succeed"}
json.dump({"definition": json.dumps({"StartAt": "C0", "States": st})}, open(sys.argv[1], "w"))
PY
curl -s -o "$W/slow" -w '%{http_code}' -X POST --data-binary @"$W/choice.json" "$EP/console/api/graph" >"$W/slowcode" &
slow=$!
sleep 1
t0=$(date +%s%N)
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
  --data '{"definition": "{\"StartAt\": \"Fresh\", \"States\": {\"Fresh\": {\"Type\": \"Pass\", \"End\": true}}}"}' "$EP/console/api/graph")
is "$code" 200 "another graph (not drawn before) while a slow layout runs"
[ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 5000 ] || fail "a graph waited behind the slow layout"
wait $slow
code=$(cat "$W/slowcode")
if [ "$code" = 400 ]; then
  is "$(jq -r .__type "$W/slow")" GraphTooLarge "the slow layout's error"
else
  is "$code" 200 "the slow layout (a fast machine finished it)"
fi
head -c 3000000 /dev/zero | tr '\0' a >"$W/big"
code=$(curl -s -o "$W/out" -w '%{http_code}' -X POST --data-binary @"$W/big" "$EP/console/api/graph")
is "$code" 413 "a body over the cap"
# 1,000 states: laid out and drawn (the console's largest case)
python3 - "$W/big.json" <<'PY'
import json, sys
n = 1000
st = {}
for i in range(n):
    s = {"Type": "Pass", "Next": f"S{i+1}"} if i < n - 1 else {"Type": "Succeed"}
    if i % 50 == 0 and i + 3 < n:
        s = {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": i, "Next": f"S{i+3}"}], "Default": f"S{i+1}"}
    st[f"S{i}"] = s
json.dump({"StartAt": "S0", "States": st}, open(sys.argv[1], "w"))
PY
jq -n --rawfile d "$W/big.json" '{definition: $d}' >"$W/req"
code=$(curl -s -o "$W/big.svg" -w '%{http_code}' -X POST --data-binary @"$W/req" "$EP/console/api/graph")
is "$code" 200 "a 1,000-state machine"
is "$(grep -c 'id="state:S' "$W/big.svg")" 1000 "its 1,000 state nodes"
ok "graph"

step "Tutti.DescribeExecutionStates, Tutti.ListMapIterations"
cat >"$W/m.json" <<'JSON'
{"StartAt":"Items","States":{
 "Items":{"Type":"Pass","Parameters":{"n.$":"States.ArrayRange(0, 999, 1)"},"OutputPath":"$.n","Next":"M"},
 "M":{"Type":"Map","MaxConcurrency":50,"ToleratedFailurePercentage":100,
      "ItemProcessor":{"StartAt":"Odd?","States":{
        "Odd?":{"Type":"Choice","Choices":[{"Variable":"$","NumericGreaterThanEquals":990,"Next":"Bad"}],"Default":"Ok"},
        "Ok":{"Type":"Pass","End":true},
        "Bad":{"Type":"Fail","Error":"Odd.Item","Cause":"item over 989"}}},
      "Next":"Par"},
 "Par":{"Type":"Parallel","Branches":[{"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"Custom.Boom","Cause":"went boom"}}}],
        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recovered"}],"Next":"Recovered"},
 "Recovered":{"Type":"Pass","Next":"Last"},
 "Last":{"Type":"Fail","Error":"Final.Error","Cause":"the end"}}}
JSON
run 0 "$TUTTI" state-machine create bigmap --definition "$W/m.json"
MSM=$(field .stateMachineArn)
run 0 "$TUTTI" execution start "$MSM" --name run1
MX=$(field .executionArn)
for _ in $(seq 600); do
  ok_api AWSStepFunctions.DescribeExecution "{\"executionArn\": \"$MX\"}"
  [ "$(field .status)" != RUNNING ] && break; sleep 0.05
done
is "$(field .status)" FAILED "the Map execution"
ok_api Tutti.DescribeExecutionStates "{\"executionArn\": \"$MX\"}"
is "$(field .status)" FAILED "states: the execution"
is "$(field '.states.M.iterations | [.total, .SUCCEEDED, .FAILED] | join(",")')" "1000,990,10" "Map iterations summed"
is "$(field .states.Par.status)" CAUGHT "a caught Parallel"
is "$(field .states.Boom.status)" FAILED "the state that failed in its branch"
is "$(field .states.Boom.error)" Custom.Boom "its error"
is "$(field .states.Boom.cause)" "went boom" "its cause"
is "$(field .states.Last.status)" FAILED "the state the execution failed in"
is "$(field .states.Last.error)" Final.Error "and its error"
is "$(field .states.Recovered.status)" SUCCEEDED "a state after the catch"
is "$(field '.states | has("Nowhere")')" false "no invented states"
ok_api Tutti.ListMapIterations "{\"executionArn\": \"$MX\", \"mapStateName\": \"M\", \"maxResults\": 100}"
is "$(field .total)" 1000 "iterations total"
is "$(field '.iterations | length')" 100 "a page of 100"
is "$(field '.iterations[0].index'),$(field '.iterations[99].index')" "0,99" "by index"
pages=1; tok=$(field .nextToken)
while [ "$tok" != null ]; do
  ok_api Tutti.ListMapIterations "{\"executionArn\": \"$MX\", \"mapStateName\": \"M\", \"maxResults\": 100, \"nextToken\": \"$tok\"}"
  pages=$((pages + 1)); tok=$(field .nextToken)
  [ $pages -le 11 ] || fail "more than 10 pages"
done
is "$pages" 10 "10 pages of 100"
ok_api Tutti.ListMapIterations "{\"executionArn\": \"$MX\", \"mapStateName\": \"M\", \"statusFilter\": \"FAILED\"}"
is "$(field '[.iterations[].index] | join(",")')" "990,991,992,993,994,995,996,997,998,999" "the failed iterations"
is "$(field '.iterations[0].error')" Odd.Item "an iteration's error"
ok_api Tutti.DescribeExecutionStates "{\"executionArn\": \"$MX\", \"mapStateName\": \"M\", \"iteration\": 995}"
is "$(field '.states.Bad.status')" FAILED "inside one iteration"
is "$(field '.status')" FAILED "the iteration's own status"
is "$(field '.states | has("Ok")')" false "only that iteration's states"
ok_api Tutti.DescribeExecutionStates "{\"executionArn\": \"$MX\", \"mapStateName\": \"M\", \"iteration\": 3}"
is "$(field '.states.Ok.status')" SUCCEEDED "another iteration"
is "$(field '.status')" SUCCEEDED "its status"
err_api 400 ValidationException Tutti.DescribeExecutionStates "{\"executionArn\": \"$MX\", \"iteration\": 3}"
err_api 400 ExecutionDoesNotExist Tutti.DescribeExecutionStates '{"executionArn": "arn:aws:states:local:000000000000:execution:bigmap:nope"}'
err_api 400 InvalidArn Tutti.DescribeExecutionStates '{"executionArn": "nope"}'
err_api 400 ValidationException Tutti.ListMapIterations "{\"executionArn\": \"$MX\", \"mapStateName\": \"M\", \"statusFilter\": \"NOPE\"}"
err_api 400 InvalidToken Tutti.ListMapIterations "{\"executionArn\": \"$MX\", \"mapStateName\": \"M\", \"nextToken\": \"x\"}"
# inputs and outputs over 8 KiB: flagged in the list, whole for one state
printf '%s' '{"StartAt":"Big","States":{"Big":{"Type":"Pass","End":true}}}' >"$W/big-io.json"
run 0 "$TUTTI" state-machine create bigio --definition "$W/big-io.json"
BSM=$(field .stateMachineArn)
python3 -c 'import json; print(json.dumps({"blob": "x" * 20000}))' >"$W/blob.json"
run 0 "$TUTTI" execution start "$BSM" --name b1 --input @"$W/blob.json"
BX=$(field .executionArn)
for _ in $(seq 100); do
  ok_api AWSStepFunctions.DescribeExecution "{\"executionArn\": \"$BX\"}"
  [ "$(field .status)" = SUCCEEDED ] && break; sleep 0.05
done
ok_api Tutti.DescribeExecutionStates "{\"executionArn\": \"$BX\"}"
is "$(field '.states.Big | [.inputTruncated, .outputTruncated, has("input"), has("output")] | map(tostring) | join(",")')" \
  "true,true,false,false" "a 20 KB input and output left out of the list"
ok_api Tutti.DescribeExecutionStates "{\"executionArn\": \"$BX\", \"stateName\": \"Big\"}"
is "$(field '.states.Big.input | fromjson | .blob | length')" 20000 "the whole input of one state"
is "$(field '.states.Big.output | fromjson | .blob | length')" 20000 "and its whole output"
ok "states and iterations"

step "Tutti.NextFireTimes"
ok_api Tutti.NextFireTimes '{"ScheduleExpression": "cron(0 12 * * ? *)", "After": 1796601600}'
is "$(jq -c .FireTimes "$W/out")" '[1796644800,1796731200,1796817600,1796904000,1796990400]' "cron in UTC"
ok_api Tutti.NextFireTimes '{"ScheduleExpression": "cron(0 12 * * ? *)", "ScheduleExpressionTimezone": "Europe/Paris", "After": 1796601600, "Count": 2}'
is "$(jq -c . "$W/out")" '{"FireTimes":[1796641200,1796727600],"ScheduleExpressionTimezone":"Europe/Paris"}' "cron in Paris"
ok_api Tutti.NextFireTimes '{"ScheduleExpression": "at(2020-01-01T00:00:00)"}'
is "$(jq -c .FireTimes "$W/out")" "[]" "an at() in the past"
err_api 400 ValidationException Tutti.NextFireTimes '{"ScheduleExpression": "cron(0 12 * * * *)"}'
grep -q "day-of-week" "$W/out" || fail "the cron error is not located: $(cat "$W/out")"
err_api 400 ValidationException Tutti.NextFireTimes '{"ScheduleExpression": "rate(1 hour)", "Count": 101}'
err_api 400 ValidationException Tutti.NextFireTimes '{}'
err_api 400 ValidationException Tutti.NextFireTimes '{"ScheduleExpression": "rate(1 hour)", "After": 1e300}'
err_api 400 ValidationException Tutti.NextFireTimes '{"ScheduleExpression": "rate(1 hour)", "After": -1e300}'
ok_api TuttiScheduler.CreateSchedule "{\"Name\": \"daily\", \"ScheduleExpression\": \"rate(1 day)\", \"StartDate\": 1893456000, \"EndDate\": 1893715200, \"FlexibleTimeWindow\": {\"Mode\": \"OFF\"}, \"Target\": {\"Arn\": \"$SM\", \"RoleArn\": \"arn:aws:iam::000000000000:role/tutti\"}}"
SARN=$(field .ScheduleArn)
ok_api Tutti.NextFireTimes "{\"ScheduleArn\": \"$SARN\", \"Count\": 10}"
is "$(jq -c .FireTimes "$W/out")" '[1893456000,1893542400,1893628800]' "rate from StartDate, before EndDate"
err_api 400 ResourceNotFoundException Tutti.NextFireTimes '{"ScheduleArn": "arn:aws:scheduler:local:000000000000:schedule/default/nope"}'
api AWSEvents.PutRule '{"Name": "noon", "ScheduleExpression": "cron(0 12 * * ? *)"}'
api AWSEvents.PutRule '{"Name": "other", "ScheduleExpression": "rate(5 minutes)"}'
ok_api AWSEvents.PutTargets "{\"Rule\": \"noon\", \"Targets\": [{\"Id\": \"t\", \"Arn\": \"$SM\"}]}"
ok_api AWSEvents.ListRuleNamesByTarget "{\"TargetArn\": \"$SM\"}"
is "$(jq -c .RuleNames "$W/out")" '["noon"]' "ListRuleNamesByTarget"
ok_api AWSEvents.ListRuleNamesByTarget "{\"TargetArn\": \"$SM:1\"}"
is "$(jq -c .RuleNames "$W/out")" '[]' "an exact ARN"
RARN=$(curl -s -X POST "$EP/" -H 'X-Amz-Target: AWSEvents.DescribeRule' -H 'Content-Type: application/x-amz-json-1.1' --data '{"Name": "noon"}' | jq -r .Arn)
ok_api Tutti.NextFireTimes "{\"RuleArn\": \"$RARN\", \"Count\": 3, \"After\": 1796601600}"
is "$(jq -c .FireTimes "$W/out")" '[1796644800,1796731200,1796817600]' "a rule's next fire times"
ok "next fire times"

step "the browser guard"
code=$(curl -s -o "$W/out" -w '%{http_code}' -H 'Host: evil.example' "$EP/console/favicon.svg")
is "$code" 403 "a page load under another name (DNS rebinding)"
is "$(field .__type)" AccessDeniedException "its error"
code=$(curl -s -o "$W/out" -w '%{http_code}' -X POST -H 'Host: rebind.example' -H 'X-Amz-Target: Tutti.ListExecutions' \
  -H 'Content-Type: application/x-amz-json-1.0' --data '{}' "$EP/")
is "$code" 403 "an API call under another name"
run 0 "$TUTTI" function create echo --code "$FN/echo.so"
code=$(curl -s -o "$W/out" -w '%{http_code}' -X POST -H 'Origin: http://evil.example' -H 'Content-Type: text/plain' \
  --data '{"x":1}' "$EP/2015-03-31/functions/echo/invocations")
is "$code" 403 "a cross-site form post invoking a function"
code=$(curl -s -o "$W/out" -w '%{http_code}' -X POST -H "Origin: $EP" --data '{"x":1}' "$EP/2015-03-31/functions/echo/invocations")
is "$code" 200 "the console's own origin"
is "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: localhost' "$EP/console/favicon.svg")" 200 "Host: localhost"
# S3 is a streaming route: the same guard, and objects never run as pages of this origin
is "$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$EP/guarded")" 200 "a bucket"
is "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: text/html' --data '<script>fetch("/")</script>' "$EP/guarded/pwn.html")" 200 "an HTML object"
is "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Host: rebind.example' --data x "$EP/guarded/x")" 403 "an S3 PUT under another name"
is "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: rebind.example' "$EP/")" 403 "an S3 listing under another name"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Origin: http://evil.example' -H 'Content-Type: text/plain' \
  --data '<Delete><Object><Key>pwn.html</Key></Object></Delete>' "$EP/guarded?delete")" 403 "a cross-site S3 delete"
curl -s -D "$W/h" -o /dev/null "$EP/guarded/pwn.html"
grep -qi "^Content-Security-Policy: sandbox" "$W/h" || fail "an object served without a sandbox: $(cat "$W/h")"
grep -qi "^X-Content-Type-Options: nosniff" "$W/h" || fail "an object served without nosniff"
ok "guard"

step "with credentials"
kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true
printf '[default]\naws_access_key_id = AKIDCONSOLE\naws_secret_access_key = s3cr3t\n' >"$W/creds"
chmod 600 "$W/creds"
"$TUTTI" serve --listen "127.0.0.1:$PORT" --credentials "$W/creds" >>"$W/serve.log" 2>&1 &
SERVE_PID=$!
E2E_PIDS+=("$SERVE_PID")
for _ in $(seq 200); do curl -sf "$EP/health" >/dev/null 2>&1 && break; sleep 0.05; done
run 0 curl -sf "$EP/console/api/config"
is "$(field .auth)" true "config says auth"
is "$(curl -s -o /dev/null -w '%{http_code}' "$EP/console/favicon.svg")" 200 "the page is public"
api Tutti.ListExecutions '{}'
is "$(status)" 403 "the API is not"
code=$(curl -s -o "$W/out" -w '%{http_code}' --aws-sigv4 "aws:amz:local:states" --user AKIDCONSOLE:s3cr3t \
  -X POST -H 'X-Amz-Target: Tutti.ListExecutions' -H 'Content-Type: application/x-amz-json-1.0' --data '{}' "$EP/")
is "$code" 200 "a signed call"
is "$(field .counts.SUCCEEDED)" 6 "the same store (5 + b1)"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data "{\"stateMachineArn\": \"$SM\"}" "$EP/console/api/graph")
is "$code" 403 "the graph route needs a signature"
ok "credentials"
