#!/usr/bin/env bash
# Mocked service integrations (Step Functions Local's MockConfigFile):
# tutti run --mock-config FILE --test-case NAME (Return, Throw with Retry
# and Catch, invocation ranges, an invocation no entry holds, a state left
# to run for real, .waitForTaskToken, a Map's iterations sharing a count),
# the file's checks with their locations, and tutti serve --mock-config
# with StartExecution of ARN#TestCase through the AWS CLI (or curl).
. "$(dirname "$0")/lib.sh"
e2e_init mocks
need jq python3 curl

D="$TUTTI_TOP/tests/data/mocks"
cp "$D/LambdaSQSIntegration.asl.json" "$D/MockConfigFile.json" "$W/"
SM="$W/LambdaSQSIntegration.asl.json"
MC="$W/MockConfigFile.json"

step "run: HappyPath: both Tasks answered by their mocked Return (no function exists)"
run 0 "$TUTTI" run "$SM" --mock-config "$MC" --test-case HappyPath --wait-scale 0
same '{"body":"Hello from Lambda!","sqs":{"MD5OfMessageBody":"3bcb6e8e","MessageId":"3bcb6e8e-8b51"}}'

step "run: RetryPath: Throw for invocations 0 and 1-2, Return at 3; Retry sees each error"
run 0 "$TUTTI" run "$SM" --mock-config "$MC" --test-case RetryPath --wait-scale 0 --history="$W/h.json"
is "$(field .body)" "after 3 retries" "the 4th invocation's Return"
is "$(jq -c '[.events[] | select(.type=="TaskFailed") | .taskFailedEventDetails.error]' "$W/h.json")" \
   '["Lambda.ResourceNotReadyException","Lambda.ServiceException","Lambda.ServiceException"]' "the mocked errors, in order"
is "$(jq '[.events[] | select(.type=="TaskScheduled")] | length' "$W/h.json")" 5 "4 Lambda + 1 SQS scheduled"
is "$(jq -r '[.events[] | select(.type=="TaskScheduled")][0].taskScheduledEventDetails.resourceType' "$W/h.json")" lambda "resourceType"

step "run: CatchPath: a Throw the Retry gives up on is caught by its Catch"
run 0 "$TUTTI" run "$SM" --mock-config "$MC" --test-case CatchPath --wait-scale 0
same '{"caught":{"Error":"Lambda.TimeoutException","Cause":"Lambda timed out."}}'

step "run: ExhaustPath: an invocation no entry holds fails the execution (States.Runtime, not caught)"
run 1 "$TUTTI" run "$SM" --mock-config "$MC" --test-case ExhaustPath --wait-scale 0
is "$(field .error)" States.Runtime "no mocked response"
grep -q "invocation 1 of state 'LambdaState'" "$W/out" || fail "cause: $(cat "$W/out")"

step "run: HybridPath: SQSState is not mocked and runs for real (no SQS integration here)"
run 1 "$TUTTI" run "$SM" --mock-config "$MC" --test-case HybridPath --wait-scale 0
is "$(field .error)" States.Runtime "the real integration ran"
grep -q "No integration serves" "$W/out" || fail "cause: $(cat "$W/out")"

step "run: a Map's iterations share the state's invocation count; .waitForTaskToken completes at once"
cat >"$W/loop.json" <<'J'
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "ResultPath": "$.results",
        "ItemProcessor": {"StartAt": "Call", "States": {
          "Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work:live", "End": true}}},
        "Next": "Wait"},
  "Wait": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
           "Parameters": {"MessageBody": {"token.$": "$$.Task.Token"}}, "ResultPath": "$.cb", "End": true}}}
J
cat >"$W/loopmock.json" <<'J'
{"StateMachines": {"loop": {"TestCases": {"T": {"Call": "Seq", "Wait": "Cb"}}}},
 "MockedResponses": {
   "Seq": {"0": {"Return": "first"}, "1-2": {"Return": "middle"}, "3": {"Return": "last"}},
   "Cb": {"0": {"Return": {"approved": true}}}}}
J
run 0 "$TUTTI" run "$W/loop.json" --input '{"items":[1,2,3,4]}' --mock-config "$W/loopmock.json" --test-case T
same '{"items":[1,2,3,4],"results":["first","middle","middle","last"],"cb":{"approved":true}}'

step "run: the mock file is checked, each problem located"
bad() {   # bad JSON MESSAGE
  echo "$1" >"$W/bad.json"
  refused "$2" "$TUTTI" run "$SM" --mock-config "$W/bad.json" --test-case HappyPath
}
bad '{"StateMachines": {}}' '$.MockedResponses: required'
bad '{"StateMachines": {}, "MockedResponses": {}, "Extra": 1}' '$.Extra: unknown field'
bad '{"StateMachines": {"S": {"TestCases": {"T": {"A": "Nope"}}}}, "MockedResponses": {}}' \
    "\$.StateMachines.S.TestCases.T.A: no mocked response 'Nope'"
bad '{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1}, "0-2": {"Return": 2}}}}' \
    '$.MockedResponses.R: invocation 0 has two entries'
bad '{"StateMachines": {}, "MockedResponses": {"R": {"2-1": {"Return": 1}}}}' "\$.MockedResponses.R['2-1']: the range ends before it starts"
bad '{"StateMachines": {}, "MockedResponses": {"R": {"x": {"Return": 1}}}}' '$.MockedResponses.R.x: an invocation number'
bad '{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "E"}}}}}' 'must have exactly one field, Return or Throw'
bad '{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {"Cause": "c"}}}}}' "\$.MockedResponses.R['0'].Throw.Error: must be a string"
bad 'not json' '$: not a JSON object'
refused "has no test case 'Nope' for state machine 'LambdaSQSIntegration'" \
  "$TUTTI" run "$SM" --mock-config "$MC" --test-case Nope
refused "--mock-config FILE and --test-case NAME go together" "$TUTTI" run "$SM" --test-case HappyPath
echo '{"StateMachines": {}' >"$W/bad.json"
run 2 "$TUTTI" serve --listen 127.0.0.1:0 --mock-config "$W/bad.json"
grep -q "not a JSON object" "$W/err" || fail "serve: $(cat "$W/err")"

step "serve --mock-config: StartExecution of ARN#TestCase"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export TUTTI_ENDPOINT="http://127.0.0.1:$PORT"
e2e_bg "$TUTTI" serve --listen "127.0.0.1:$PORT" --mock-config "$MC" 2>"$W/serve.log"
SERVE_PID=$!
for _ in $(seq 200); do
  curl -sf "$TUTTI_ENDPOINT/health" >/dev/null 2>&1 && break
  kill -0 "$SERVE_PID" 2>/dev/null || { cat "$W/serve.log"; fail "tutti serve exited"; }
  sleep 0.05
done
run 0 "$TUTTI" state-machine create LambdaSQSIntegration --definition "$SM"
ARN=$(field .stateMachineArn)
sfn() {   # sfn ACTION JSON: the AWS CLI when installed, else the same request with curl
  local action=$1 body=$2
  if [ -x /usr/bin/aws ]; then
    local cli; cli=$(echo "$action" | sed -E 's/([a-z])([A-Z])/\1-\2/g' | tr 'A-Z' 'a-z')
    AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1 AWS_PAGER= \
      /usr/bin/aws --endpoint-url "$TUTTI_ENDPOINT" stepfunctions "$cli" --cli-input-json "$body"
  else
    curl -sf "$TUTTI_ENDPOINT/" -H "X-Amz-Target: AWSStepFunctions.$action" \
         -H 'Content-Type: application/x-amz-json-1.0' -d "$body"
  fi
}
wait_end() {
  for _ in $(seq 300); do
    run 0 "$TUTTI" execution describe "$1"
    [ "$(field .status)" != RUNNING ] && return 0
    sleep 0.05
  done
  fail "$1 still RUNNING"
}
run 0 sfn StartExecution "{\"stateMachineArn\": \"$ARN#HappyPath\", \"name\": \"happy\"}"
X=$(field .executionArn)
case "$X" in *":execution:LambdaSQSIntegration:happy") ;; *) fail "execution ARN $X";; esac
wait_end "$X"
is "$(field .status)" SUCCEEDED "HappyPath"
is "$(field .output | jq -c .)" '{"body":"Hello from Lambda!","sqs":{"MD5OfMessageBody":"3bcb6e8e","MessageId":"3bcb6e8e-8b51"}}' "HappyPath output"
is "$(field .stateMachineArn)" "$ARN" "the execution's state machine is the ARN without #TestCase"
run 0 sfn StartExecution "{\"stateMachineArn\": \"$ARN#CatchPath\"}"
X=$(field .executionArn)
wait_end "$X"
is "$(field .output | jq -c .caught.Error)" '"Lambda.TimeoutException"' "CatchPath"
step "serve: an unknown test case, and a plain start with no function, are refused / run for real"
rc=0; sfn StartExecution "{\"stateMachineArn\": \"$ARN#Nope\"}" >"$W/out" 2>"$W/err" || rc=$?
[ "$rc" != 0 ] || fail "an unknown test case was accepted"
grep -q "ValidationException" "$W/out" "$W/err" || fail "unknown test case: $(cat "$W/out" "$W/err")"
run 0 sfn StartExecution "{\"stateMachineArn\": \"$ARN\"}"
X=$(field .executionArn)
wait_end "$X"
is "$(field .status)" FAILED "without a test case the real Lambda is called (none exists)"
ok "mocks"
