#!/usr/bin/env bash
# DefinitionSubstitutions (SAM, CDK): --substitute NAME=VALUE and
# --substitutions FILE.json on tutti run, tutti validate and tutti
# state-machine create/update; the AWS:: defaults; the ${!NAME} escape;
# an unresolved ${NAME} reported at its JSON path with a hint; caps.
. "$(dirname "$0")/lib.sh"
e2e_init substitutions
need jq python3

cat >"$W/sm.json" <<'J'
{
  "Comment": "deployed by ${Stage}",
  "StartAt": "Submit",
  "States": {
    "Submit": {"Type": "Pass", "Parameters": {
        "JobQueue": "arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job-queue/${QueueName}",
        "Retries": "${Retries}", "Quote": "${Quote}", "Literal": "${!NotMine}"},
      "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}
J
echo '{"QueueName": "from-file", "Retries": 3, "Stage": true, "Quote": "say \"hi\"\n"}' >"$W/subs.json"

step "validate: the unresolved placeholders, each at its path, with the hint"
run 2 "$TUTTI" validate "$W/sm.json"
is "$(wc -l <"$W/out")" 4 "four placeholders without a value"
grep -qxF '$.Comment: unresolved placeholder ${Stage}: pass --substitute Stage=VALUE (or --substitutions FILE.json), as SAM'"'"'s and CDK'"'"'s DefinitionSubstitutions do' "$W/out" || fail "$(cat "$W/out")"
grep -q '^\$\.States\.Submit\.Parameters\.JobQueue: unresolved placeholder \${QueueName}' "$W/out" || fail "$(cat "$W/out")"
grep -q 'AWS::' "$W/out" && fail "the AWS:: pseudo parameters have defaults"
grep -q 'NotMine' "$W/out" && fail '${!NotMine} is an escape, not a placeholder'

step "validate and run with --substitutions FILE.json, --substitute overriding it"
run 0 "$TUTTI" validate "$W/sm.json" --substitutions "$W/subs.json"
run 0 "$TUTTI" run "$W/sm.json" --substitutions "$W/subs.json" --substitute QueueName=cli --substitute AWS::Region=eu-west-1
same '{"JobQueue":"arn:aws:batch:eu-west-1:000000000000:job-queue/cli","Retries":"3","Quote":"say \"hi\"\n","Literal":"${NotMine}"}'

step "state-machine create: the substituted definition is what is stored"
run 0 "$TUTTI" state-machine create subst --definition "$W/sm.json" --substitutions "$W/subs.json"
ARN=$(field .stateMachineArn)
run 0 "$TUTTI" state-machine describe "$ARN"
field .definition >"$W/stored.json"
grep -q 'job-queue/from-file' "$W/stored.json" || fail "stored: $(cat "$W/stored.json")"
grep -q '"Comment": "deployed by true"' "$W/stored.json" || fail "layout or value: $(cat "$W/stored.json")"
run 2 "$TUTTI" state-machine create subst2 --definition "$W/sm.json"
grep -q 'unresolved placeholder ${Stage}' "$W/err" || fail "create: $(cat "$W/err")"
run 0 "$TUTTI" state-machine update "$ARN" --definition "$W/sm.json" --substitutions "$W/subs.json" --substitute QueueName=updated
run 0 "$TUTTI" state-machine describe "$ARN"
field .definition | grep -q 'job-queue/updated' || fail "update did not substitute"

step "a Task Resource placeholder (SAM's \${HandlerFunctionArn}) names the fix, not 'must be an ARN'"
cat >"$W/task.json" <<'J'
{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "${HandlerFunctionArn}", "End": true},
  "B": {"Type": "Task", "Resource": "arn:${AWS::Partition}:states:::batch:submitJob.sync", "End": true}}}
J
run 2 "$TUTTI" run "$W/task.json"
grep -q '^\$\.States\.T\.Resource: unresolved placeholder \${HandlerFunctionArn}: pass --substitute HandlerFunctionArn=VALUE' "$W/err" || fail "$(cat "$W/err")"
grep -q 'must be a function name' "$W/err" && fail "the old message"
run 2 "$TUTTI" validate "$W/task.json" --substitute HandlerFunctionArn=arn:aws:lambda:us-east-1:123456789012:function:handler
is "$(cat "$W/out")" '$.States.B: state is not reachable from StartAt' "substituted: only the real problem is left"

step "bad substitutions are usage errors"
refused "--substitute takes NAME=VALUE" "$TUTTI" validate "$W/sm.json" --substitute novalue
refused "invalid substitution name" "$TUTTI" validate "$W/sm.json" --substitute 'a b=1'
echo '{"X": null}' >"$W/bad.json"
refused "must be a string, a number or a boolean" "$TUTTI" validate "$W/sm.json" --substitutions "$W/bad.json"
echo '[1]' >"$W/bad.json"
refused "a JSON object" "$TUTTI" validate "$W/sm.json" --substitutions "$W/bad.json"
refused "cannot read" "$TUTTI" validate "$W/sm.json" --substitutions "$W/none.json"
python3 -c 'import json; print(json.dumps({"V": "x" * 65537}))' >"$W/big.json"
refused "is larger than 65536 bytes" "$TUTTI" validate "$W/sm.json" --substitutions "$W/big.json"
python3 -c 'import json; print(json.dumps({"N%d" % i: "v" for i in range(1001)}))' >"$W/many.json"
refused "more than 1000 substitutions" "$TUTTI" validate "$W/sm.json" --substitutions "$W/many.json"
step "the result is capped at 1 MiB"
python3 -c '
import json
print(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": ["${Big}"] * 20, "End": True}}}))' >"$W/grow.json"
python3 -c 'import json; print(json.dumps({"Big": "y" * 65536}))' >"$W/bigv.json"
run 2 "$TUTTI" validate "$W/grow.json" --substitutions "$W/bigv.json"
grep -q 'larger than 1048576 bytes once substituted' "$W/out" || fail "$(cat "$W/out")"
ok "substitutions"
