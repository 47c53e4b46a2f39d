#!/usr/bin/env bash
# The Step Functions API of `tutti serve` driven by the real AWS CLI v2
# (Debian's /usr/bin/aws) with --endpoint-url: state machines, executions,
# history pagination, stop, task tokens, StartSyncExecution, tags and the
# errors' shapes. Debian's awscli 2.9 predates versions, aliases, publish,
# TestState and ValidateStateMachineDefinition: those are raw awsJson1_0
# requests (curl), checked against the service model's shapes.
. "$(dirname "$0")/lib.sh"
e2e_init api_sfn
need jq python3 curl
AWS=/usr/bin/aws
[ -x "$AWS" ] || skip "Debian's awscli (/usr/bin/aws) is not installed"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
EP="http://127.0.0.1:$PORT"
export TUTTI_ENDPOINT=$EP AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=""
unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy AWS_ENDPOINT_URL

run 0 "$TUTTI" function create echo --code "$FN/echo.so"
"$TUTTI" serve --listen "127.0.0.1:$PORT" >>"$W/serve.log" 2>&1 &
SERVE_PID=$!
E2E_PIDS+=("$SERVE_PID")
for _ in $(seq 200); do curl -sf "$EP/health" >/dev/null 2>&1 && break; sleep 0.05; done
curl -sf "$EP/health" >/dev/null || { tail -20 "$W/serve.log"; fail "tutti serve did not answer"; }

sfn() { "$AWS" --endpoint-url "$EP" --output json stepfunctions "$@"; }
# sfn_err RC TYPE ARGS...: the CLI exits RC and names the error TYPE
sfn_err() {
  local want=$1 type=$2; shift 2
  run "$want" "$AWS" --endpoint-url "$EP" --output json stepfunctions "$@"
  grep -qF "($type)" "$W/err" || { cat "$W/err"; fail "'$*': no ($type) in the error"; }
}
# raw TARGET JSON: an awsJson1_0 request; the body in $W/out, the status in $W/status
raw() {
  curl -s -o "$W/out" -w '%{http_code}' -X POST "$EP/" -H "X-Amz-Target: AWSStepFunctions.$1" \
    -H 'Content-Type: application/x-amz-json-1.0' --data-binary "$2" >"$W/status"
}
status() { cat "$W/status"; }
wait_end() {   # wait_end ARN: poll describe-execution until it is not RUNNING
  for _ in $(seq 300); do
    run 0 sfn describe-execution --execution-arn "$1"
    [ "$(field .status)" != RUNNING ] && return 0
    sleep 0.05
  done
  fail "$1 still RUNNING"
}
ROLE=arn:aws:iam::123456789012:role/StatesRole
DEF1='{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"v":1},"Next":"W"},"W":{"Type":"Wait","Seconds":0,"End":true}}}'
DEF2='{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"v":2},"End":true}}}'

step "create, describe, list, idempotent create, duplicate name"
run 0 sfn create-state-machine --name m1 --definition "$DEF1" --role-arn "$ROLE" --tags key=team,value=a
SM=$(field .stateMachineArn)
case "$SM" in arn:aws:states:*:*:stateMachine:m1) ;; *) fail "state machine ARN $SM" ;; esac
PFX=${SM%stateMachine:m1}
run 0 sfn describe-state-machine --state-machine-arn "$SM"
is "$(field .status)/$(field .type)/$(field .roleArn)" "ACTIVE/STANDARD/$ROLE" "describe"
is "$(field .definition | jq -c .)" "$(echo "$DEF1" | jq -c .)" "definition kept"
is "$(field .loggingConfiguration.level)" OFF "default logging configuration"
run 0 sfn list-state-machines
is "$(field '[.stateMachines[] | select(.name == "m1")] | length')" 1 "listed"
run 0 sfn create-state-machine --name m1 --definition "$DEF1" --role-arn "$ROLE"
is "$(field .stateMachineArn)" "$SM" "the same definition again is idempotent"
sfn_err 254 StateMachineAlreadyExists create-state-machine --name m1 --definition "$DEF2" --role-arn "$ROLE"
sfn_err 254 InvalidName create-state-machine --name 'bad name' --definition "$DEF1" --role-arn "$ROLE"

step "a bad definition: InvalidDefinition with AWS's code and location"
sfn_err 254 InvalidDefinition create-state-machine --name bad --role-arn "$ROLE" \
  --definition '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nope"}}}'
grep -qF "MISSING_TRANSITION_TARGET" "$W/err" || fail "no MISSING_TRANSITION_TARGET: $(cat "$W/err")"
grep -qF "/States/A/Next" "$W/err" || fail "no location /States/A/Next: $(cat "$W/err")"

step "executions: start with a name, poll describe, list with a status filter"
run 0 sfn start-execution --state-machine-arn "$SM" --name run1 --input '{"n":1}'
X1=$(field .executionArn)
is "$X1" "${PFX}execution:m1:run1" "execution ARN"
wait_end "$X1"
is "$(field .status)" SUCCEEDED "run1"
is "$(field .output | jq -c .)" '{"v":1}' "run1 output"
is "$(field .input | jq -c .)" '{"n":1}' "run1 input"
run 0 sfn start-execution --state-machine-arn "$SM" --name run1 --input '{"n":1}'
sfn_err 254 ExecutionAlreadyExists start-execution --state-machine-arn "$SM" --name run1 --input '{"n":2}'
sfn_err 254 InvalidExecutionInput start-execution --state-machine-arn "$SM" --input 'not json'
sfn_err 254 InvalidName start-execution --state-machine-arn "$SM" --name 'a b'
run 0 sfn list-executions --state-machine-arn "$SM" --status-filter SUCCEEDED
is "$(field '.executions | length')" 1 "one SUCCEEDED execution"
run 0 sfn describe-state-machine-for-execution --execution-arn "$X1"
is "$(field .name)" m1 "describe-state-machine-for-execution"

step "history: --max-items pagination and --reverse-order"
run 0 sfn get-execution-history --execution-arn "$X1"
ALL=$(jq -c '[.events[].type]' "$W/out")
N=$(jq 'length' <<<"$ALL")
[ "$N" -ge 6 ] || fail "only $N events: $ALL"
run 0 sfn get-execution-history --execution-arn "$X1" --max-items 2
is "$(field '.events | length')" 2 "first page"
TOK=$(field .NextToken)
[ -n "$TOK" ] && [ "$TOK" != null ] || fail "no NextToken on the first page"
PAGE1=$(jq -c '[.events[].type]' "$W/out")
run 0 sfn get-execution-history --execution-arn "$X1" --max-items 100 --starting-token "$TOK"
PAGE2=$(jq -c '[.events[].type]' "$W/out")
is "$(jq -cn --argjson a "$PAGE1" --argjson b "$PAGE2" '$a + $b')" "$ALL" "the two pages are the whole history"
run 0 sfn get-execution-history --execution-arn "$X1" --page-size 1 --max-items 3
is "$(field '.events | length')" 3 "pages of one event, three of them"
is "$(field '[.events[].id] | join(",")')" "1,2,3" "in order"
run 0 sfn get-execution-history --execution-arn "$X1" --reverse-order --max-items 1
is "$(field '.events[0].type')" ExecutionSucceeded "reverse order starts with the end"
run 0 sfn get-execution-history --execution-arn "$X1" --no-include-execution-data --max-items 1
is "$(field '.events[0].executionStartedEventDetails.input // "absent"')" absent "no execution data"

step "history: assignedVariables and EvaluationFailed (raw: awscli 2.9's model predates them)"
DEFV='{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"n":"{% 40 + 2 %}","s":"hi"},"Next":"Q"},"Q":{"Type":"Pass","Output":"{% $n & $number(\"x\") %}","End":true}}}'
run 0 sfn create-state-machine --name vars --definition "$DEFV" --role-arn "$ROLE"
XV=$(sfn start-execution --state-machine-arn "$(field .stateMachineArn)" --input '{}' | jq -r .executionArn)
wait_end "$XV"
is "$(field .status)/$(field .error)" "FAILED/States.QueryEvaluationError" "a query error fails it"
case "$(field .cause)" in
  "An error occurred while executing the state 'Q' (entered at the event id #4). The JSONata expression"*) ;;
  *) fail "cause: $(field .cause)" ;;
esac
raw GetExecutionHistory "{\"executionArn\":\"$XV\"}"
is "$(status)" 200 "GetExecutionHistory"
is "$(jq -c '[.events[].type]' "$W/out")" \
  '["ExecutionStarted","PassStateEntered","PassStateExited","PassStateEntered","EvaluationFailed","ExecutionFailed"]' \
  "event types"
is "$(jq -c '.events[2].stateExitedEventDetails | [.assignedVariables, .assignedVariablesDetails]' "$W/out")" \
  '[{"n":"42","s":"\"hi\""},{"truncated":false}]' "assignedVariables as JSON text"
is "$(jq -c '.events[4] | [.previousEventId, .evaluationFailedEventDetails.error, .evaluationFailedEventDetails.location, .evaluationFailedEventDetails.state]' "$W/out")" \
  '[4,"States.QueryEvaluationError","Output","Q"]' "EvaluationFailed details"
is "$(jq -r '.events[5].executionFailedEventDetails.cause == ("An error occurred while executing the state '"'"'Q'"'"' (entered at the event id #4). " + .events[4].evaluationFailedEventDetails.cause)' "$W/out")" \
  true "the execution's cause is the evaluation's, after the sentence"
raw GetExecutionHistory "{\"executionArn\":\"$XV\",\"includeExecutionData\":false}"
is "$(jq -c '.events[2].stateExitedEventDetails | has("assignedVariables")' "$W/out")" false \
  "no variables without execution data"
run 0 sfn get-execution-history --execution-arn "$XV"
is "$(field '.events[4].type')" EvaluationFailed "the AWS CLI reads the new event type"

step "stop an execution"
run 0 sfn create-state-machine --name slow --role-arn "$ROLE" \
  --definition '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}}'
SLOW=$(field .stateMachineArn)
run 0 sfn start-execution --state-machine-arn "$SLOW" --name s1
XS=$(field .executionArn)
run 0 sfn stop-execution --execution-arn "$XS" --error Bye --cause "stopped by the test"
wait_end "$XS"
is "$(field .status)/$(field .error)/$(field .cause)" "ABORTED/Bye/stopped by the test" "stopped"

step "a task token completed with send-task-success"
run 0 sfn create-state-machine --name cb --role-arn "$ROLE" --definition '{"StartAt":"T","States":{"T":{"Type":"Task",
  "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
  "Parameters":{"FunctionName":"echo","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}'
run 0 sfn start-execution --state-machine-arn "$(field .stateMachineArn)" --name cb1
XC=$(field .executionArn)
TT=
for _ in $(seq 200); do
  TT=$(sfn get-execution-history --execution-arn "$XC" |
    jq -r '[.events[] | select(.type == "TaskScheduled")][-1].taskScheduledEventDetails.parameters // empty' |
    jq -r '.Payload.token // empty')
  [ -n "$TT" ] && break
  sleep 0.05
done
[ -n "$TT" ] || fail "no task token in the history"
run 0 sfn send-task-success --task-token "$TT" --task-output '{"answer":42}'
wait_end "$XC"
is "$(field .status)" SUCCEEDED "callback"
is "$(field .output | jq -c .)" '{"answer":42}' "callback output"
run 254 sfn send-task-success --task-token "$TT" --task-output '{}'
grep -qE "\((TaskTimedOut|TaskDoesNotExist)\)" "$W/err" || fail "a used token: $(cat "$W/err")"
sfn_err 254 InvalidOutput send-task-success --task-token "$TT" --task-output 'nope'

step "update-state-machine: new executions run the new definition"
run 0 sfn update-state-machine --state-machine-arn "$SM" --definition "$DEF2"
run 0 sfn start-execution --state-machine-arn "$SM" --name run2
X2=$(field .executionArn)
wait_end "$X2"
is "$(field .output | jq -c .)" '{"v":2}' "the updated definition runs"
run 0 sfn describe-state-machine-for-execution --execution-arn "$X1"
is "$(field .definition | jq -c .)" "$(echo "$DEF1" | jq -c .)" "an old execution keeps its definition"

step "StartSyncExecution (through HTTP_PROXY: the CLI prefixes the host with sync-)"
run 0 sfn create-state-machine --name ex --type EXPRESS --role-arn "$ROLE" \
  --definition '{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"$.x"},"End":true}}}'
EX=$(field .stateMachineArn)
run 0 env HTTP_PROXY="$EP" "$AWS" --endpoint-url "$EP" --output json stepfunctions start-sync-execution \
  --state-machine-arn "$EX" --input '{"x":5}' --name sync1
is "$(field .status)" SUCCEEDED "sync status"
is "$(field .output | jq -c .)" '{"v":5}' "sync output"
is "$(field .name)" sync1 "sync name"
[ "$(field .billingDetails.billedDurationInMilliseconds)" -ge 100 ] || fail "billing details"
run 254 env HTTP_PROXY="$EP" "$AWS" --endpoint-url "$EP" stepfunctions start-sync-execution --state-machine-arn "$SM"
grep -qF "(StateMachineTypeNotSupported)" "$W/err" || fail "STANDARD: $(cat "$W/err")"

step "tags: tag-resource, untag-resource, list-tags-for-resource, limits"
run 0 sfn list-tags-for-resource --resource-arn "$SM"
is "$(jq -c .tags "$W/out")" '[{"key":"team","value":"a"}]' "tags given at create"
run 0 sfn tag-resource --resource-arn "$SM" --tags key=team,value=b key=env,value=dev
run 0 sfn list-tags-for-resource --resource-arn "$SM"
is "$(field '[.tags[] | "\(.key)=\(.value)"] | sort | join(",")')" "env=dev,team=b" "tagged"
run 0 sfn untag-resource --resource-arn "$SM" --tag-keys team
run 0 sfn list-tags-for-resource --resource-arn "$SM"
is "$(field '[.tags[].key] | join(",")')" env "untagged"
MANY=$(for i in $(seq 51); do printf 'key=k%d,value=v ' "$i"; done)
# shellcheck disable=SC2086
sfn_err 254 TooManyTags tag-resource --resource-arn "$SM" --tags $MANY
sfn_err 254 ResourceNotFound list-tags-for-resource --resource-arn "${PFX}stateMachine:nope"

step "errors: the AWS shapes, statuses and exit codes"
sfn_err 254 ExecutionDoesNotExist describe-execution --execution-arn "${PFX}execution:m1:nope"
grep -qF "Execution Does Not Exist: '${PFX}execution:m1:nope'" "$W/err" || fail "message: $(cat "$W/err")"
sfn_err 254 InvalidArn describe-execution --execution-arn not-an-arn
sfn_err 254 InvalidArn describe-state-machine --state-machine-arn "${PFX}execution:m1:run1"
sfn_err 254 StateMachineDoesNotExist describe-state-machine --state-machine-arn "${PFX}stateMachine:nope"
sfn_err 254 StateMachineDoesNotExist start-execution --state-machine-arn "${PFX}stateMachine:nope"
raw GetExecutionHistory "{\"executionArn\": \"$X1\", \"nextToken\": \"bogus\"}"
is "$(status)/$(field .__type)" "400/com.amazonaws.swf.service.v2.model#InvalidToken" "a bad nextToken"
raw DescribeExecution "{\"executionArn\": \"${PFX}execution:m1:nope\"}"
is "$(status)" 400 "HTTP status"
is "$(field .__type)" "com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist" "__type"
raw DescribeExecution '{}'
is "$(status)/$(field .__type)" "400/com.amazonaws.swf.service.v2.model#ValidationException" "missing member"
raw NoSuchAction '{}'
is "$(status)/$(field .__type)" "400/UnknownOperationException" "unknown action"
raw DescribeExecution '{"executionArn": '
is "$(status)/$(field .__type)" "400/SerializationException" "bad JSON"

step "versions (raw awsJson: newer than Debian's CLI): publish, list, describe"
raw CreateStateMachine "{\"name\":\"vm\",\"definition\":$(jq -Rs . <<<"$DEF1"),\"roleArn\":\"$ROLE\",\"publish\":true,\"versionDescription\":\"first\"}"
is "$(status)" 200 "create with publish: $(cat "$W/out")"
VM=$(field .stateMachineArn)
V1=$(field .stateMachineVersionArn)
is "$V1" "$VM:1" "version 1"
raw UpdateStateMachine "{\"stateMachineArn\":\"$VM\",\"definition\":$(jq -Rs . <<<"$DEF2"),\"publish\":true}"
V2=$(field .stateMachineVersionArn)
is "$V2" "$VM:2" "update with publish: version 2"
[ -n "$(field .revisionId)" ] || fail "no revisionId"
raw PublishStateMachineVersion "{\"stateMachineArn\":\"$VM\"}"
is "$(field .stateMachineVersionArn)" "$V2" "publishing the same revision again"
raw PublishStateMachineVersion "{\"stateMachineArn\":\"$VM\",\"revisionId\":\"old\"}"
is "$(status)/$(field .__type)" "409/com.amazonaws.swf.service.v2.model#ConflictException" "stale revisionId"
raw ListStateMachineVersions "{\"stateMachineArn\":\"$VM\",\"maxResults\":1}"
is "$(field '.stateMachineVersions[0].stateMachineVersionArn')" "$V2" "newest first"
VT=$(field .nextToken)
raw ListStateMachineVersions "{\"stateMachineArn\":\"$VM\",\"nextToken\":\"$VT\"}"
is "$(field '[.stateMachineVersions[].stateMachineVersionArn] | join(",")')" "$V1" "second page"
run 0 sfn describe-state-machine --state-machine-arn "$V1"
is "$(field .stateMachineArn)/$(field .definition | jq -c .Start)" "$V1/null" "describe a version"
raw DescribeStateMachine "{\"stateMachineArn\":\"$V1\"}"
is "$(field .description)" first "version description"

step "aliases: create with weights, start on an alias and on a version, update, delete"
raw CreateStateMachineAlias "{\"name\":\"prod\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"$V1\",\"weight\":100}]}"
is "$(status)" 200 "create alias: $(cat "$W/out")"
AL=$(field .stateMachineAliasArn)
is "$AL" "$VM:prod" "alias ARN"
raw CreateStateMachineAlias "{\"name\":\"bad\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"$V1\",\"weight\":60},{\"stateMachineVersionArn\":\"$V2\",\"weight\":30}]}"
is "$(status)/$(field .__type)" "400/com.amazonaws.swf.service.v2.model#ValidationException" "weights not summing to 100"
raw CreateStateMachineAlias "{\"name\":\"42\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"$V1\",\"weight\":100}]}"
is "$(field .__type)" "com.amazonaws.swf.service.v2.model#InvalidName" "a numeric alias name"
run 0 sfn start-execution --state-machine-arn "$AL" --name viaalias
XA=$(field .executionArn)
wait_end "$XA"
is "$(field .output | jq -c .)" '{"v":1}' "the alias runs version 1"
raw DescribeExecution "{\"executionArn\":\"$XA\"}"
is "$(field .stateMachineAliasArn)/$(field .stateMachineVersionArn)/$(field .stateMachineArn)" "$AL/$V1/$VM" "alias execution's ARNs"
run 0 sfn start-execution --state-machine-arn "$V2" --name viaversion
XV=$(field .executionArn)
wait_end "$XV"
is "$(field .output | jq -c .)" '{"v":2}' "the version ARN runs version 2"
raw ListExecutions "{\"stateMachineArn\":\"$AL\"}"
is "$(field '[.executions[].name] | join(",")')" viaalias "executions of the alias"
raw DeleteStateMachineVersion "{\"stateMachineVersionArn\":\"$V1\"}"
is "$(status)/$(field .__type)" "409/com.amazonaws.swf.service.v2.model#ConflictException" "a version an alias uses"
raw UpdateStateMachineAlias "{\"stateMachineAliasArn\":\"$AL\",\"description\":\"now v2\",\"routingConfiguration\":[{\"stateMachineVersionArn\":\"$V2\",\"weight\":100}]}"
is "$(status)" 200 "update alias"
raw DescribeStateMachineAlias "{\"stateMachineAliasArn\":\"$AL\"}"
is "$(field .description)/$(field '.routingConfiguration[0].stateMachineVersionArn')" "now v2/$V2" "describe alias"
raw ListStateMachineAliases "{\"stateMachineArn\":\"$VM\"}"
is "$(field '[.stateMachineAliases[].stateMachineAliasArn] | join(",")')" "$AL" "list aliases"
raw DeleteStateMachineVersion "{\"stateMachineVersionArn\":\"$V1\"}"
is "$(status)" 200 "delete an unused version"
raw DeleteStateMachineAlias "{\"stateMachineAliasArn\":\"$AL\"}"
is "$(status)" 200 "delete alias"
raw DescribeStateMachineAlias "{\"stateMachineAliasArn\":\"$AL\"}"
is "$(field .__type)" "com.amazonaws.swf.service.v2.model#ResourceNotFound" "a deleted alias"
run 0 sfn delete-state-machine --state-machine-arn "$VM"
sfn_err 254 StateMachineDoesNotExist describe-state-machine --state-machine-arn "$V2"

step "ValidateStateMachineDefinition (raw awsJson)"
raw ValidateStateMachineDefinition "{\"definition\":$(jq -Rs . <<<"$DEF1")}"
is "$(status)/$(field .result)/$(field '.diagnostics | length')" "200/OK/0" "a valid definition"
raw ValidateStateMachineDefinition '{"definition":"{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"}}}"}'
is "$(field .result)" FAIL "an invalid definition"
is "$(field '.diagnostics[0] | "\(.severity) \(.code) \(.location)"')" "ERROR MISSING_TRANSITION_TARGET /States/A/Next" "diagnostic"
raw ValidateStateMachineDefinition '{"definition":"{nope"}'
is "$(field '.diagnostics[0].code')" INVALID_JSON_DESCRIPTION "not JSON"
raw ValidateStateMachineDefinition '{"definition":"{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resourc\":\"x\",\"End\":true}}}","maxResults":1}'
is "$(field '.diagnostics | length')/$(field .truncated)/$(field '.diagnostics[0].code')" "1/true/SCHEMA_VALIDATION_FAILED" "maxResults"
raw ValidateStateMachineDefinition '{}'
is "$(status)/$(field .__type)" "400/com.amazonaws.swf.service.v2.model#ValidationException" "no definition"

step "TestState (raw awsJson): data flow, mocks, Catch, Retry, Choice, Fail"
ts() { raw TestState "$1"; is "$(status)" 200 "TestState: $(cat "$W/out")"; }
ts "{\"roleArn\":\"$ROLE\",\"definition\":\"{\\\"Type\\\":\\\"Pass\\\",\\\"Parameters\\\":{\\\"d.\$\\\":\\\"States.MathAdd(\$.a, 1)\\\"},\\\"ResultPath\\\":\\\"\$.r\\\",\\\"Next\\\":\\\"After\\\"}\",\"input\":\"{\\\"a\\\":41}\"}"
is "$(field .status)/$(field .nextState)/$(field .output | jq -c .)" 'SUCCEEDED/After/{"a":41,"r":{"d":42}}' "Pass"
TASK='{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"nope","Payload.$":"$"},"ResultSelector":{"got.$":"$.Payload"},"ResultPath":"$.res","Next":"Done","Retry":[{"ErrorEquals":["Retry.Me"],"MaxAttempts":2}],"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Handle"}]}'
TJ=$(jq -Rs . <<<"$TASK")
ts "{\"definition\":$TJ,\"input\":\"{\\\"x\\\":1}\",\"inspectionLevel\":\"DEBUG\",\"mock\":{\"result\":\"{\\\"Payload\\\":{\\\"ok\\\":true}}\"}}"
is "$(field .status)/$(field .nextState)/$(field .output | jq -c .)" 'SUCCEEDED/Done/{"x":1,"res":{"got":{"ok":true}}}' "mocked result"
is "$(field .inspectionData.input | jq -c .)" '{"x":1}' "inspectionData.input"
is "$(field .inspectionData.afterParameters | jq -c .)" '{"FunctionName":"nope","Payload":{"x":1}}' "inspectionData.afterParameters"
ts "{\"definition\":$TJ,\"input\":\"{\\\"x\\\":1}\",\"mock\":{\"errorOutput\":{\"error\":\"Boom\",\"cause\":\"it broke\"}}}"
is "$(field .status)/$(field .nextState)/$(field .error)" "CAUGHT_ERROR/Handle/Boom" "a caught mocked error"
is "$(field .output | jq -c .err)" '{"Error":"Boom","Cause":"it broke"}' "the catcher's ResultPath"
ts "{\"definition\":$TJ,\"mock\":{\"errorOutput\":{\"error\":\"Retry.Me\",\"cause\":\"again\"}}}"
is "$(field .status)/$(field .error)" "RETRIABLE/Retry.Me" "a retriable mocked error"
ts '{"definition":"{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.n\",\"NumericGreaterThan\":1,\"Next\":\"Big\"}],\"Default\":\"Small\"}","input":"{\"n\":5}"}'
is "$(field .status)/$(field .nextState)" "SUCCEEDED/Big" "Choice"
ts '{"definition":"{\"Type\":\"Fail\",\"Error\":\"E\",\"Cause\":\"C\"}"}'
is "$(field .status)/$(field .error)/$(field .cause)" "FAILED/E/C" "Fail"
raw TestState '{"definition":"{\"Type\":\"Pass\",\"End\":true}","mock":{"result":"{}"}}'
is "$(status)/$(field .__type)" "400/com.amazonaws.swf.service.v2.model#ValidationException" "a mock on a Pass state"
raw TestState '{"definition":"{\"Type\":\"Pass\",\"End\":true}","input":"nope"}'
is "$(field .__type)" "com.amazonaws.swf.service.v2.model#InvalidExecutionInput" "bad input"
raw TestState '{"definition":"{\"Type\":\"Bogus\"}"}'
is "$(field .__type)" "com.amazonaws.swf.service.v2.model#InvalidDefinition" "bad state"

step "delete: the state machine is gone"
run 0 sfn delete-state-machine --state-machine-arn "$SM"
sfn_err 254 StateMachineDoesNotExist describe-state-machine --state-machine-arn "$SM"
run 0 sfn delete-state-machine --state-machine-arn "$SM"

step "the server stops cleanly, with no sanitizer report (ASan builds)"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || fail "tutti serve exited $? on SIGTERM: $(tail -20 "$W/serve.log")"
if grep -E "runtime error|AddressSanitizer|LeakSanitizer" "$W/serve.log"; then fail "sanitizer report"; fi
ok "api_sfn"
