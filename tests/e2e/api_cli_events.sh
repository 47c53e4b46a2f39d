#!/usr/bin/env bash
# EventBridge rules and the EventBridge Scheduler through the real AWS CLI v2
# (Debian's /usr/bin/aws) pointed at `tutti serve` with --endpoint-url:
# events put-rule/put-targets/list-rules/describe-rule/disable-rule/
# enable-rule/list-targets-by-rule/remove-targets/delete-rule, their errors;
# scheduler create/get/list/update/delete-schedule and schedule groups over
# their REST paths, their 404/409 errors; and an at() schedule that fires a
# state machine, seen with `aws stepfunctions list-executions`.
. "$(dirname "$0")/lib.sh"
e2e_init api_cli_events
need jq python3 curl
[ -x /usr/bin/aws ] || skip "Debian's awscli is not installed (/usr/bin/aws)"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
EP="http://127.0.0.1:$PORT"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER= \
       AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
e2e_bg "$TUTTI" serve --listen "127.0.0.1:$PORT" 2>"$W/serve.log"
for _ in $(seq 200); do curl -sf "$EP/health" >/dev/null 2>&1 && break; sleep 0.05; done
curl -sf "$EP/health" >/dev/null || { cat "$W/serve.log"; fail "tutti serve did not start"; }

A() { /usr/bin/aws --endpoint-url "$EP" --output json "$@"; }
# awserr CODE CMD...: the CLI fails with that error code.
awserr() {
  local code=$1 rc=0; shift
  A "$@" >"$W/out" 2>"$W/err" || rc=$?
  [ "$rc" -ne 0 ] || fail "'$*' succeeded, expected $code"
  grep -qF "($code)" "$W/err" || { cat "$W/err"; fail "'$*': expected ($code)"; }
}
# ok_aws CMD...: the CLI succeeds; its JSON in $W/out.
ok_aws() { run 0 A "$@"; }

cat >"$W/tick.json" <<'EOF'
{"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": {"ok": true}, "End": true}}}
EOF
run 0 "$TUTTI" state-machine create tick --definition "$W/tick.json"
SM=$(field .stateMachineArn)

step "events: a cron rule with a state machine target"
ok_aws events put-rule --name daily --schedule-expression 'cron(0 8 * * ? *)' --description "the daily run"
is "$(field .RuleArn)" "arn:aws:events:local:000000000000:rule/daily" "RuleArn"
ok_aws events put-targets --rule daily --targets "[{\"Id\":\"t1\",\"Arn\":\"$SM\",\"Input\":\"{\\\"a\\\":1}\"},{\"Id\":\"q\",\"Arn\":\"arn:aws:sqs:us-east-1:000000000000:q\"}]"
is "$(field .FailedEntryCount)" 1 "PutTargets: an SQS target is a failed entry"
is "$(field '.FailedEntries[0].TargetId')" q "FailedEntries"
ok_aws events list-rules
is "$(field '.Rules | map(.Name) | join(",")')" daily "ListRules"
ok_aws events describe-rule --name daily
is "$(field .ScheduleExpression)" 'cron(0 8 * * ? *)' "DescribeRule ScheduleExpression"
is "$(field .State)" ENABLED "DescribeRule State"
ok_aws events disable-rule --name daily
ok_aws events describe-rule --name daily
is "$(field .State)" DISABLED "disabled"
ok_aws events enable-rule --name daily
ok_aws events list-targets-by-rule --rule daily
is "$(field '.Targets[0].Arn')" "$SM" "ListTargetsByRule"
is "$(field '.Targets[0].Input')" '{"a":1}' "target Input"
awserr ValidationException events delete-rule --name daily
awserr ResourceNotFoundException events describe-rule --name nope
awserr ResourceNotFoundException events disable-rule --name nope
awserr ValidationException events put-rule --name bad --schedule-expression 'cron(0 8 * * *)'
grep -q "year" "$W/err" || fail "the bad cron's message: $(cat "$W/err")"
ok_aws events remove-targets --rule daily --ids t1
is "$(field .FailedEntryCount)" 0 "RemoveTargets"
ok_aws events delete-rule --name daily
ok_aws events list-rules
is "$(field '.Rules | length')" 0 "deleted"

step "scheduler: groups and schedules over the REST paths"
ok_aws scheduler create-schedule-group --name team
is "$(field .ScheduleGroupArn)" "arn:aws:scheduler:local:000000000000:schedule-group/team" "ScheduleGroupArn"
awserr ConflictException scheduler create-schedule-group --name team
ok_aws scheduler get-schedule-group --name team
is "$(field .State)" ACTIVE "GetScheduleGroup"
ok_aws scheduler list-schedule-groups
is "$(field '.ScheduleGroups | map(.Name) | join(",")')" default,team "ListScheduleGroups"
TARGET="{\"Arn\":\"$SM\",\"RoleArn\":\"arn:aws:iam::000000000000:role/r\",\"Input\":\"{\\\"from\\\":\\\"cli\\\"}\"}"
ok_aws scheduler create-schedule --name every --group-name team --schedule-expression 'rate(1 hour)' \
  --flexible-time-window Mode=OFF --target "$TARGET"
is "$(field .ScheduleArn)" "arn:aws:scheduler:local:000000000000:schedule/team/every" "ScheduleArn"
awserr ConflictException scheduler create-schedule --name every --group-name team --schedule-expression 'rate(1 hour)' \
  --flexible-time-window Mode=OFF --target "$TARGET"
ok_aws scheduler get-schedule --name every --group-name team
is "$(field .ScheduleExpression)" 'rate(1 hour)' "GetSchedule"
is "$(field .Target.RetryPolicy.MaximumRetryAttempts)" 185 "GetSchedule: RetryPolicy default"
awserr ResourceNotFoundException scheduler get-schedule --name every
awserr ResourceNotFoundException scheduler get-schedule --name nope --group-name team
ok_aws scheduler update-schedule --name every --group-name team --schedule-expression 'rate(2 hours)' \
  --flexible-time-window Mode=FLEXIBLE,MaximumWindowInMinutes=5 --target "$TARGET" --state DISABLED
ok_aws scheduler get-schedule --name every --group-name team
is "$(field .ScheduleExpression)" 'rate(2 hours)' "UpdateSchedule"
is "$(field .FlexibleTimeWindow.MaximumWindowInMinutes)" 5 "UpdateSchedule: FlexibleTimeWindow"
ok_aws scheduler list-schedules --group-name team --state DISABLED --max-results 10
is "$(field '.Schedules | map(.Name) | join(",")')" every "ListSchedules (group, state)"
ok_aws scheduler list-schedules --name-prefix zz
is "$(field '.Schedules | length')" 0 "ListSchedules (prefix)"
awserr ValidationException scheduler create-schedule --name bad --schedule-expression 'rate(0 hours)' \
  --flexible-time-window Mode=OFF --target "$TARGET"
ok_aws scheduler delete-schedule --name every --group-name team
awserr ResourceNotFoundException scheduler delete-schedule --name every --group-name team
ok_aws scheduler delete-schedule-group --name team
awserr ResourceNotFoundException scheduler get-schedule-group --name team

step "scheduler: an at() schedule fires the state machine"
AT=$(date -u -d "@$(( $(date +%s) + 3 ))" +%Y-%m-%dT%H:%M:%S)
ok_aws scheduler create-schedule --name soon --schedule-expression "at($AT)" \
  --flexible-time-window Mode=OFF --target "$TARGET"
n=0
for _ in $(seq 150); do
  A stepfunctions list-executions --state-machine-arn "$SM" --status-filter SUCCEEDED >"$W/out" 2>"$W/err" || true
  n=$(jq '.executions | length' "$W/out" 2>/dev/null || echo 0)
  [ "$n" -ge 1 ] && break
  sleep 0.1
done
[ "$n" -ge 1 ] || { cat "$W/err" "$W/serve.log"; fail "the at() schedule started no execution"; }
EX=$(field '.executions[0].executionArn')
ok_aws stepfunctions describe-execution --execution-arn "$EX"
is "$(field .input | jq -c .)" '{"from":"cli"}' "the fired execution's input"
ok "the at() schedule ran $EX"
