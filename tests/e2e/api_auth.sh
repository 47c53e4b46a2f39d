#!/usr/bin/env bash
# Authentication and limits of `tutti serve`: without credentials only a
# loopback address is served; a credentials file must be mode 0600; with
# credentials ($TUTTI_HOME/credentials or --credentials FILE) the AWS CLI
# signing with a configured key is served, a wrong secret, an unknown key
# and an unsigned request are refused in AWS's shapes, and the tutti CLI
# signs its own calls. Malformed requests get AWS's error shapes (never a
# 500, never HTML from tutti), a body over the cap 413, and the server
# survives a header flood.
. "$(dirname "$0")/lib.sh"
e2e_init api_auth
need jq python3 curl
[ -x /usr/bin/aws ] || skip "Debian's awscli is not installed (/usr/bin/aws)"
export AWS_DEFAULT_REGION=eu-west-3 AWS_PAGER= AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
       AWS_EC2_METADATA_DISABLED=true
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

step "no credentials: loopback only"
run 1 "$TUTTI" serve --listen "0.0.0.0:$(free_port)"
grep -q "refusing to listen on 0.0.0.0:.* without credentials" "$W/err" || { cat "$W/err"; fail "message"; }
run 1 "$TUTTI" serve --listen "[::]:$(free_port)"

step "a credentials file readable by others is refused"
printf '[default]\naws_access_key_id = AKIDTUTTI\naws_secret_access_key = s3cret/Key+1\n[ci]\naws_access_key_id=AKIDCI\naws_secret_access_key=ci-secret\n' >"$TUTTI_HOME/credentials"
chmod 644 "$TUTTI_HOME/credentials"
run 1 "$TUTTI" serve --listen "127.0.0.1:$(free_port)"
grep -q "mode 0600" "$W/err" || { cat "$W/err"; fail "mode message"; }
chmod 600 "$TUTTI_HOME/credentials"
run 1 "$TUTTI" serve --listen "127.0.0.1:$(free_port)" --credentials "$W/none"

step "with credentials: SigV4 required"
PORT=$(free_port)
EP="http://127.0.0.1:$PORT"
e2e_bg "$TUTTI" serve --listen "0.0.0.0:$PORT" 2>"$W/serve.log"
for _ in $(seq 200); do curl -sf "$EP/health" >/dev/null 2>&1 && break; sleep 0.05; done
curl -sf "$EP/health" >/dev/null || { cat "$W/serve.log"; fail "tutti serve did not start"; }
grep -q "Signature V4 required" "$W/serve.log" || fail "the log does not say SigV4 is required"

A() { /usr/bin/aws --endpoint-url "$EP" --output json "$@"; }
awserr() {
  local code=$1 rc=0; shift
  A "$@" >"$W/out" 2>"$W/err" || rc=$?
  [ "$rc" -ne 0 ] || fail "'$*' succeeded, expected $code"
  grep -qF "($code)" "$W/err" || { cat "$W/err"; fail "'$*': expected ($code)"; }
}
cat >"$W/m.json" <<'EOF'
{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}
EOF
export AWS_ACCESS_KEY_ID=AKIDTUTTI AWS_SECRET_ACCESS_KEY='s3cret/Key+1'
run 0 A stepfunctions create-state-machine --name m --definition "file://$W/m.json" --role-arn arn:aws:iam::000000000000:role/r
SM=$(field .stateMachineArn)
run 0 A stepfunctions start-execution --state-machine-arn "$SM" --name "e1" --input '{"a": "x y+z/é"}'
run 0 A events list-rules --name-prefix 'a b'
run 0 A scheduler list-schedules --group-name default --name-prefix 'x'
run 0 A scheduler get-schedule-group --name default
AWS_ACCESS_KEY_ID=AKIDCI AWS_SECRET_ACCESS_KEY=ci-secret run 0 A stepfunctions list-state-machines
is "$(field '.stateMachines | length')" 1 "the second profile's key"
AWS_SECRET_ACCESS_KEY=wrong awserr InvalidSignatureException stepfunctions list-state-machines
AWS_SECRET_ACCESS_KEY=wrong awserr InvalidSignatureException scheduler get-schedule-group --name default
AWS_ACCESS_KEY_ID=AKIDNOPE awserr UnrecognizedClientException events list-rules

code=$(curl -s -o "$W/out" -w '%{http_code}' "$EP/" -H 'X-Amz-Target: AWSStepFunctions.ListStateMachines' \
  -H 'Content-Type: application/x-amz-json-1.0' -d '{}')
is "$code" 403 "unsigned: status"
is "$(field .__type)" MissingAuthenticationTokenException "unsigned: __type"
code=$(curl -s -o "$W/out" -w '%{http_code}' -D "$W/hdr" "$EP/schedules")
is "$code" 403 "unsigned REST: status"
grep -qi "^x-amzn-errortype: MissingAuthenticationTokenException" "$W/hdr" || fail "no X-Amzn-ErrorType"
code=$(curl -s -o "$W/out" -w '%{http_code}' "$EP/some-bucket/key")
is "$code" 403 "unsigned S3 path: status"
grep -q "<Code>AccessDenied</Code>" "$W/out" || fail "S3 path: not S3's XML: $(cat "$W/out")"
# a request signed 20 minutes ago (libcurl's signer, with a faked X-Amz-Date)
code=$(curl -s -o "$W/out" -w '%{http_code}' "$EP/" --aws-sigv4 "aws:amz:eu-west-3:states" \
  --user 'AKIDTUTTI:s3cret/Key+1' -H "X-Amz-Date: $(date -u -d '-20 min' +%Y%m%dT%H%M%SZ)" \
  -H 'X-Amz-Target: AWSStepFunctions.ListStateMachines' -H 'Content-Type: application/x-amz-json-1.0' -d '{}')
is "$code" 403 "skewed: status"
is "$(field .__type)" RequestTimeTooSkewed "skewed: __type"
# and curl's signer, on time, is served
code=$(curl -s -o "$W/out" -w '%{http_code}' "$EP/" --aws-sigv4 "aws:amz:eu-west-3:states" \
  --user 'AKIDTUTTI:s3cret/Key+1' -H 'X-Amz-Target: AWSStepFunctions.ListStateMachines' \
  -H 'Content-Type: application/x-amz-json-1.0' -d '{}')
is "$code" 200 "curl --aws-sigv4"

step "the tutti CLI signs its calls to the server (the home's first key)"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
export TUTTI_ENDPOINT="$EP"
run 0 "$TUTTI" execution start m --name e2 --input '{}'
ok "tutti execution start through a credentialed server"

step "malformed requests: AWS shapes, never a 500"
export AWS_ACCESS_KEY_ID=AKIDTUTTI AWS_SECRET_ACCESS_KEY='s3cret/Key+1'
sc() {  # sc TARGET BODY: a signed awsJson call; status in $code, answer in $W/out
  code=$(curl -s -o "$W/out" -w '%{http_code}' "$EP/" --aws-sigv4 "aws:amz:eu-west-3:states" \
    --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "X-Amz-Target: $1" \
    -H 'Content-Type: application/x-amz-json-1.0' --data-binary "$2")
}
sc AWSStepFunctions.StartExecution '{"stateMachineArn": '
is "$code:$(field .__type)" 400:SerializationException "bad JSON"
sc AWSStepFunctions.NoSuchAction '{}'
is "$code:$(field .__type)" 400:UnknownOperationException "unknown action"
sc AWSStepFunctions.StartExecution '{"stateMachineArn": 12}'
[ "$code" = 400 ] || fail "wrong type: $code $(cat "$W/out")"
sc AWSStepFunctions.DescribeExecution '{}'
[ "$code" = 400 ] || fail "missing field: $code $(cat "$W/out")"
sc AWSStepFunctions.DescribeExecution '{"executionArn": "arn:nope"}'
# AWS says InvalidArn; ExecutionDoesNotExist until svc_sfn.c checks the form
case "$code:$(field .__type)" in 400:InvalidArn|400:ExecutionDoesNotExist) ;; *) fail "bad ARN: $code $(cat "$W/out")" ;; esac
sc AWSStepFunctions.ListStateMachines '[1,2]'
is "$code:$(field .__type)" 400:SerializationException "not an object"
big=$(head -c 1100000 /dev/zero | tr '\0' 'a')
code=$(printf '{"a":"%s"}' "$big" | curl -s -o "$W/out" -w '%{http_code}' "$EP/" -H 'X-Amz-Target: AWSStepFunctions.ListStateMachines' \
  -H 'Content-Type: application/x-amz-json-1.0' --data-binary @-)
is "$code:$(field .__type)" 413:RequestTooLargeException "a body over 1 MiB"
# 100 KiB of headers: refused by the connection's memory cap; the server lives on
hdr=$(head -c 100000 /dev/zero | tr '\0' 'h')
code=$(curl -s -o /dev/null -w '%{http_code}' "$EP/health" -H "X-Big: $hdr" || true)
[ "$code" != 500 ] && [ "$code" != 200 ] || fail "a 100 KiB header: $code"
curl -sf "$EP/health" >/dev/null || fail "the server died"
ok "malformed requests answered"
