#!/usr/bin/env bash
# End-to-end: JSONata state machines (tests/data/asl/jsonata/CASE/).
#   - a case with expected.json runs through `tutti run` (the example
#     functions bound by --function) and its output must equal expected.json,
#     or for {"error", "cause"}: the error, and the cause unless the error is
#     one of States.* (whose causes are implementation text);
#   - a case with expected-problems.txt must fail `tutti validate` with exit
#     2 and print exactly those problem lines (field path, message).
# Comparison of outputs is semantic (key order, 1 vs 1.0 ignored).
. "$(dirname "$0")/lib.sh"
e2e_init jsonata-asl
need jq
CASES="$TUTTI_TOP/tests/data/asl/jsonata"
for f in echo add fail flaky sleep; do
  [ -f "$FN/$f.so" ] || fail "$FN/$f.so is missing (run make)"
done
fns=()
for f in echo add fail flaky sleep; do fns+=(--function "$f=$FN/$f.so"); done

pass=0 failed=0
for dir in "$CASES"/*/; do
  name=$(basename "$dir")
  if [ -f "$dir/expected-problems.txt" ]; then
    rc=0
    "$TUTTI" validate "$dir/definition.asl.json" >"$W/out" 2>"$W/err" </dev/null || rc=$?
    cat "$W/out" "$W/err" | grep '^\$' >"$W/got" || true
    if [ "$rc" -eq 2 ] && diff -u "$dir/expected-problems.txt" "$W/got" >"$W/diff"; then
      pass=$((pass + 1))
    else
      failed=$((failed + 1))
      echo "FAIL $name: validate exit $rc"; cat "$W/diff" 2>/dev/null | head -20
    fi
    continue
  fi
  timeout 30 "$TUTTI" run "$dir/definition.asl.json" --input @"$dir/input.json" "${fns[@]}" \
    >"$W/out" 2>"$W/err" </dev/null || true
  if jq -e -n --slurpfile got "$W/out" --slurpfile want "$dir/expected.json" '
      ($got | length) == 1 and
      (if ($want[0] | type) == "object" and ($want[0] | has("error")) and ($want[0] | keys | length) <= 2
       then ($got[0] | type) == "object" and $got[0].error == $want[0].error and
            (($want[0].error | startswith("States.")) or $got[0].cause == $want[0].cause)
       else $got[0] == $want[0] end)' >/dev/null 2>&1; then
    pass=$((pass + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name: got $(head -c 300 "$W/out") $(head -c 300 "$W/err")"
  fi
done

# --- evaluation limits: each a States.QueryEvaluationError naming its code,
# and the time limit stops a catastrophic regex in seconds, not hours.
limit_case() {   # NAME CODE MAX_SECONDS EXPRESSION
  local name=$1 code=$2 max=$3 expr=$4 t0 t1 rc=0
  jq -n --arg e "{% $expr %}" \
    '{QueryLanguage: "JSONata", StartAt: "P", States: {P: {Type: "Pass", Output: $e, End: true}}}' \
    >"$W/limit.json"
  t0=$(date +%s)
  timeout 60 "$TUTTI" run "$W/limit.json" --input '{}' >"$W/out" 2>"$W/err" </dev/null || rc=$?
  t1=$(date +%s)
  if [ "$rc" -eq 1 ] && [ $((t1 - t0)) -le "$max" ] &&
     jq -e --arg c "$code" '.error == "States.QueryEvaluationError" and (.cause | contains($c + ": "))' \
       "$W/out" >/dev/null 2>&1; then
    pass=$((pass + 1))
  else
    failed=$((failed + 1))
    echo "FAIL limit $name: exit $rc after $((t1 - t0))s: $(head -c 400 "$W/out") $(head -c 200 "$W/err")"
  fi
}
limit_case time D1012 10 '$length($replace($pad("", 200000, "a"), /a(?=a*b)|a/, "x"))'
limit_case depth D1011 10 '($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))'
limit_case memory U1002 10 "\$pad('x', 1e21)"

# --- the execution history (tutti run --history, a STANDARD execution):
# assignedVariables on the exits of states that assign (Pass, a matched
# Choice rule, a Catch), absent elsewhere; EvaluationFailed before
# ExecutionFailed, and the execution's cause as Step Functions words it.
hist_case() {   # NAME DEFINITION JQ-CHECK
  local name=$1 rc=0
  printf '%s' "$2" >"$W/hist-def.json"
  timeout 30 "$TUTTI" run "$W/hist-def.json" --type STANDARD --input '{}' "${fns[@]}" \
    --history="$W/hist.json" >"$W/out" 2>"$W/err" </dev/null || rc=$?
  if jq -e -n --slurpfile h "$W/hist.json" --slurpfile o "$W/out" "$3" >/dev/null 2>&1; then
    pass=$((pass + 1))
  else
    failed=$((failed + 1))
    echo "FAIL history $name (exit $rc): $(head -c 300 "$W/out") $(head -c 300 "$W/err")"
    head -c 3000 "$W/hist.json"
  fi
}
hist_case assigned '{"QueryLanguage": "JSONata", "StartAt": "P", "States": {
  "P": {"Type": "Pass", "Assign": {"n": "{% 1 + 1 %}", "s": "hi", "o": {"a": [1, null]}}, "Next": "C"},
  "C": {"Type": "Choice", "Choices": [{"Condition": "{% $n = 2 %}", "Assign": {"m": "{% $n * 10 %}"}, "Next": "T"}],
        "Default": "T"},
  "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:fail",
        "Assign": {"never": 1}, "End": true,
        "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"err": "{% $states.errorOutput.Error %}"}, "Next": "Q"}]},
  "Q": {"Type": "Pass", "End": true}}}' '
  ($h[0].events | map(select(.type | endswith("StateExited")) | .stateExitedEventDetails)) as $x |
  ($x | length) == 4 and
  $x[0].name == "P" and $x[0].assignedVariables == {"n": "2", "s": "\"hi\"", "o": "{\"a\":[1,null]}"} and
  $x[0].assignedVariablesDetails == {"truncated": false} and
  $x[1].name == "C" and $x[1].assignedVariables == {"m": "20"} and
  $x[2].name == "T" and ($x[2].assignedVariables | keys) == ["err"] and
  ($x[2].assignedVariables.err | fromjson | type) == "string" and
  $x[3].name == "Q" and ($x[3] | has("assignedVariables") | not) and
  ($x[3] | has("assignedVariablesDetails") | not)'
hist_case jsonpath-assigned '{"StartAt": "P", "States": {
  "P": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd(1, 2)"}, "Assign": {"x.$": "$.v", "k": "lit"}, "End": true}}}' '
  ($h[0].events | map(select(.type == "PassStateExited"))[0].stateExitedEventDetails) as $x |
  $x.assignedVariables == {"x": "3", "k": "\"lit\""} and $x.assignedVariablesDetails.truncated == false'
hist_case evaluation-failed '{"QueryLanguage": "JSONata", "StartAt": "A", "States": {
  "A": {"Type": "Pass", "Next": "B"},
  "B": {"Type": "Pass", "Output": {"v": ["{% $sum([\"a\"]) %}"]}, "End": true}}}' '
  ($h[0].events) as $e | ($e | map(.type)) as $t |
  $t[-2] == "EvaluationFailed" and $t[-1] == "ExecutionFailed" and
  ($e | map(select(.type == "PassStateEntered" and .stateEnteredEventDetails.name == "B"))[0].id) as $b |
  $e[-2].evaluationFailedEventDetails.error == "States.QueryEvaluationError" and
  $e[-2].evaluationFailedEventDetails.location == "Output/v[0]" and
  $e[-2].evaluationFailedEventDetails.state == "B" and
  ($e[-2].evaluationFailedEventDetails.cause | startswith("The JSONata expression")) and
  $e[-2].previousEventId == $b and
  $e[-1].executionFailedEventDetails.cause ==
    "An error occurred while executing the state '"'"'B'"'"' (entered at the event id #\($b)). " +
    $e[-2].evaluationFailedEventDetails.cause and
  $o[0].cause == $e[-1].executionFailedEventDetails.cause'
hist_case evaluation-failed-caught '{"QueryLanguage": "JSONata", "StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:echo",
        "Arguments": {"x": "{% $states.input.missing %}"}, "End": true,
        "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Output": {"c": "{% $states.errorOutput.Cause %}"}, "Next": "D"}]},
  "D": {"Type": "Succeed"}}}' '
  ($h[0].events | map(.type)) as $t |
  ($t | index("EvaluationFailed")) as $i | $i != null and $t[$i + 1] == "TaskStateExited" and
  ($h[0].events[$i].evaluationFailedEventDetails.location == "Arguments/x") and
  ($o[0].c | startswith("The JSONata expression"))'
hist_case itemselector-evaluation-failed '{"QueryLanguage": "JSONata", "StartAt": "M", "States": {
  "M": {"Type": "Map", "Items": "{% [1, 2] %}", "End": true,
        "ItemSelector": {"v": "{% $states.context.Map.Item.Value %}", "sku": "{% $states.input.nope %}"},
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}' '
  ($h[0].events) as $e | ($e | map(select(.type == "EvaluationFailed"))) as $f |
  ($f | length) == 1 and $f[0].evaluationFailedEventDetails.location == "ItemSelector/sku" and
  $f[0].evaluationFailedEventDetails.state == "M" and
  ($o[0].cause | startswith("An error occurred while executing the state '"'"'M'"'"' (entered at the event id #2). The JSONata expression"))'
hist_case jsonpath-no-evaluation-failed '{"StartAt": "P", "States": {
  "P": {"Type": "Pass", "InputPath": "$.missing", "End": true}}}' '
  ($h[0].events | map(.type)) as $t | ($t | index("EvaluationFailed")) == null and $t[-1] == "ExecutionFailed"'

echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$pass" -gt 0 ]
