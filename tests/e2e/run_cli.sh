#!/usr/bin/env bash
# End-to-end: tutti run — output and exit codes (0 output, 1 failed
# execution, 2 usage/invalid definition), stdout holding exactly one JSON
# value, --history on stderr or in a file, --name, --wait-scale, --type,
# --function bindings and registry functions, the data limits, that a
# machine without function calls never starts the runtime, and that one
# without HTTP/S3 Tasks never needs tutti-integrations.so.
# Needs $TUTTI, $TUTTI_TOP, $BUILD, a fresh $TUTTI_HOME and jq.
. "$(dirname "$0")/lib.sh"
e2e_init run

def() { printf '%s' "$2" >"$W/$1.json"; }

def pass '{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"in.$":"$","name.$":"$$.Execution.Name","sm.$":"$$.StateMachine.Name"},"End":true}}}'
def wait '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100000,"Next":"P"},"P":{"Type":"Pass","Result":"waited","End":true}}}'
def fail '{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Oops","Cause":"it broke"}}}'
def task '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:add","End":true}}}'
def reg '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"myecho","End":true}}}'
def bad '{"StartAt":"Nope","States":{"P":{"Type":"Pass","End":true},"Q":{"Type":"Bogus"}}}'
def loop '{"StartAt":"I","States":{"I":{"Type":"Pass","Parameters":{"i":0},"Next":"C"},"C":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericLessThan":13000,"Next":"N"}],"Default":"D"},"N":{"Type":"Pass","Parameters":{"i.$":"States.MathAdd($.i, 1)"},"Next":"C"},"D":{"Type":"Succeed"}}}'

# --- success, input forms, names -------------------------------------------
run 0 "$TUTTI" run "$W/pass.json" --input '{"a":[1,2]}'
same '{"in":{"a":[1,2]},"name":'"$(jq -c .name "$W/out")"',"sm":"pass"}'
[ "$(jq -r .name "$W/out" | wc -c)" -eq 37 ] || fail "default execution name is not a UUID: $(cat "$W/out")"
[ ! -s "$W/err" ] || fail "stderr not empty: $(cat "$W/err")"
echo '"text"' >"$W/in.json"
run 0 "$TUTTI" run "$W/pass.json" --input @"$W/in.json" --name my-run
same '{"in":"text","name":"my-run","sm":"pass"}'
run 0 "$TUTTI" run "$W/pass.json"
[ "$(jq -c .in "$W/out")" = '{}' ] || fail "default input is not {}"
# a machine without function calls does not start the runtime (nothing in TUTTI_HOME)
[ -z "$(ls -A "$TUTTI_HOME")" ] || fail "TUTTI_HOME was used by a Pass-only run: $(ls -A "$TUTTI_HOME")"
# ... nor loads the HTTP/S3 integrations (it runs without them); a machine
# with an S3 Task, even in a Map inside a Parallel, says why it cannot run.
def s3deep '{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"G","States":{"G":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:getObject","Parameters":{"Bucket":"b","Key":"k"},"End":true}}}}}}]}}}'
noint=(env TUTTI_INTEGRATIONS="$W/no-such-integrations.so")
run 0 "${noint[@]}" "$TUTTI" run "$W/pass.json"
run 2 "${noint[@]}" "$TUTTI" run "$W/s3deep.json" --input '[1]'
[ ! -s "$W/out" ] || fail "a missing integrations object printed on stdout: $(cat "$W/out")"
grep -q 'States.Runtime: the HTTP/S3 integrations are not available: .*no-such-integrations.so' "$W/err" ||
	fail "missing integrations: $(cat "$W/err")"
run 2 "${noint[@]}" "$TUTTI" bucket list
grep -q 'the HTTP/S3 integrations are not available' "$W/err" || fail "bucket without integrations: $(cat "$W/err")"

# --- failures: exit 1, {"error","cause"} on stdout --------------------------
run 1 "$TUTTI" run "$W/fail.json"
same '{"error":"Oops","cause":"it broke"}'

# --- Wait and --wait-scale ---------------------------------------------------
start=$(date +%s%N)
run 0 "$TUTTI" run "$W/wait.json" --wait-scale 0
same '"waited"'
[ $(( ($(date +%s%N) - start) / 1000000 )) -lt 5000 ] || fail "--wait-scale 0 still waited"

# --- --history -------------------------------------------------------------
run 0 "$TUTTI" run "$W/pass.json" --history
jq -e '.events | length == 4 and .[0].type == "ExecutionStarted" and .[3].type == "ExecutionSucceeded"' "$W/err" >/dev/null ||
  fail "history on stderr: $(head -c 500 "$W/err")"
jq -e '.in == {}' "$W/out" >/dev/null || fail "stdout changed with --history"
run 1 "$TUTTI" run "$W/fail.json" --history="$W/h.json"
same '{"error":"Oops","cause":"it broke"}'
jq -e '[.events[].type] == ["ExecutionStarted","FailStateEntered","ExecutionFailed"] and
       .events[2].executionFailedEventDetails.error == "Oops" and
       .events[1].stateEnteredEventDetails.name == "F"' "$W/h.json" >/dev/null ||
  fail "history file: $(cat "$W/h.json")"

# --- history quota: STANDARD fails at 25,000 events, EXPRESS runs on --------
run 1 "$TUTTI" run "$W/loop.json" --type STANDARD --history="$W/h2.json"
jq -e '.error == "States.Runtime"' "$W/out" >/dev/null || fail "STANDARD quota: $(cat "$W/out")"
jq -e '(.events | length) == 25000 and .events[-1].type == "ExecutionFailed"' "$W/h2.json" >/dev/null ||
  fail "STANDARD quota history: $(jq '.events | length' "$W/h2.json") events"
run 1 "$TUTTI" run "$W/loop.json" --type STANDARD
jq -e '.error == "States.Runtime"' "$W/out" >/dev/null || fail "STANDARD quota without --history: $(cat "$W/out")"
[ ! -s "$W/err" ] || fail "history printed without --history"
run 0 "$TUTTI" run "$W/loop.json" --type EXPRESS
same '{"i":13000}'

# --- functions: --function bindings and the registry --------------------------
run 0 "$TUTTI" run "$W/task.json" --input '[1,2,3]' --function add="$FN/add.so"
same '6'
run 0 "$TUTTI" run "$W/task.json" --input '[4,5]' --function add="$FN/add.so" --history="$W/h3.json"
jq -e '[.events[].type] == ["ExecutionStarted","TaskStateEntered","LambdaFunctionScheduled","LambdaFunctionStarted",
         "LambdaFunctionSucceeded","TaskStateExited","ExecutionSucceeded"] and
       .events[2].lambdaFunctionScheduledEventDetails.resource == "arn:aws:lambda:us-east-1:123456789012:function:add" and
       .events[2].lambdaFunctionScheduledEventDetails.input == "[4,5]" and
       .events[4].lambdaFunctionSucceededEventDetails.output == "9" and
       .events[6].executionSucceededEventDetails.output == "9" and
       ([.events[].id] == [1,2,3,4,5,6,7]) and (.events[1].timestamp | type) == "number"' "$W/h3.json" >/dev/null ||
  fail "task history: $(cat "$W/h3.json")"
run 1 "$TUTTI" run "$W/task.json" --input '[1]'
jq -e '.error == "States.TaskFailed" and (.cause | test("add"))' "$W/out" >/dev/null || fail "unbound function: $(cat "$W/out")"
run 0 "$TUTTI" function create myecho --code "$FN/echo.so"
run 0 "$TUTTI" run "$W/reg.json" --input '{"via":"registry"}'
same '{"via":"registry"}'

# --- limits -----------------------------------------------------------------
head -c 300000 /dev/zero | tr '\0' 'x' | sed 's/.*/{"s":"&"}/' >"$W/big.json"
run 1 "$TUTTI" run "$W/pass.json" --input @"$W/big.json"
jq -e '.error == "States.DataLimitExceeded"' "$W/out" >/dev/null || fail "big input: $(head -c 300 "$W/out")"
{ printf '{"Comment":"'; head -c 1100000 /dev/zero | tr '\0' 'c'; printf '","StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}'; } >"$W/huge.json"
run 2 "$TUTTI" run "$W/huge.json"
grep -q "larger than" "$W/err" || fail "huge definition: $(cat "$W/err")"
# an --input file over the CLI's cap (4 x 256 KiB) is refused, naming the cap
head -c 1100000 /dev/zero | tr '\0' 'x' | sed 's/.*/{"s":"&"}/' >"$W/huge-input.json"
run 2 "$TUTTI" run "$W/pass.json" --input @"$W/huge-input.json"
grep -qF "huge-input.json: larger than the limit (1048576 bytes)" "$W/err" || fail "huge input: $(cat "$W/err")"

# --- usage errors and invalid definitions: exit 2, nothing on stdout --------
# JSON text where the INPUT.json file name goes: say where JSON text goes
run 2 "$TUTTI" run "$W/pass.json" '{"n":1}'
grep -qF "no input file '{\"n\":1}': JSON text goes in --input" "$W/err" || fail "JSON as INPUT.json: $(cat "$W/err")"
run 2 "$TUTTI" run "$W/bad.json"
[ ! -s "$W/out" ] || fail "invalid definition printed on stdout"
grep -qF "tutti: run: $W/bad.json is not a valid state machine" "$W/err" || fail "file not named: $(cat "$W/err")"
grep -q '^\$.StartAt: ' "$W/err" || fail "validator lines missing: $(cat "$W/err")"
grep -q '^\$.States.Q.Type: ' "$W/err" || fail "validator lines missing: $(cat "$W/err")"
run 2 "$TUTTI" run
run 2 "$TUTTI" run "$W/pass.json" --bogus
run 2 "$TUTTI" run "$W/pass.json" --input '{not json'
run 2 "$TUTTI" run "$W/pass.json" --wait-scale -1
run 2 "$TUTTI" run "$W/pass.json" --type FAST
run 2 "$TUTTI" run "$W/pass.json" --function nothing
run 2 "$TUTTI" run "$W/pass.json" --function 'bad name=x.so'
run 2 "$TUTTI" run "$W/pass.json" --name 'has space'
run 2 "$TUTTI" run "$W/missing.json"
[ ! -s "$W/out" ] || fail "usage error printed on stdout"
echo "run_cli: all checks passed"
