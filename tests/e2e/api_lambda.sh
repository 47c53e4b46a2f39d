#!/usr/bin/env bash
# The Lambda API of `tutti serve` through the real AWS CLI v2 (Debian's
# /usr/bin/aws, --endpoint-url): functions from zips, Invoke (RequestResponse,
# Event, DryRun, --log-type Tail, a failing function, qualifiers), updates,
# versions, aliases, reserved concurrency 0 (throttled), layers from zips
# and a function that needs one, deletes; hostile zips (zip-slip, a bomb, a
# symlink out, not a zip) refused with a named error while the server
# keeps answering; malformed requests answered in restJson1's error shape.
. "$(dirname "$0")/lib.sh"
e2e_init api_lambda
need jq curl
AWS=/usr/bin/aws
PY=/usr/bin/python3
[ -x "$AWS" ] || skip "Debian's awscli is not installed (/usr/bin/aws; scripts/deps.sh)"
[ -x "$PY" ] || skip "/usr/bin/python3 is not installed"

PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
export AWS_ACCESS_KEY_ID=tutti AWS_SECRET_ACCESS_KEY=tutti AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
export AWS_CONFIG_FILE="$W/aws-config" AWS_SHARED_CREDENTIALS_FILE="$W/aws-creds" AWS_MAX_ATTEMPTS=1
: >"$AWS_CONFIG_FILE"; : >"$AWS_SHARED_CREDENTIALS_FILE"
lam() { "$AWS" --endpoint-url "$URL" --cli-binary-format raw-in-base64-out --output json lambda "$@"; }
# expect_err CODE CMD...: the CLI fails and names the AWS error CODE
expect_err() {
  local code=$1; shift
  run 254 "$@" || true
  grep -qF "($code)" "$W/err" || { cat "$W/err"; fail "'$*': expected $code"; }
}
alive() { curl -sf "$URL/health" >/dev/null || fail "the server stopped answering"; }

"$TUTTI" serve --listen "127.0.0.1:$PORT" >>"$W/serve.log" 2>&1 &
SERVE_PID=$!
E2E_PIDS+=("$SERVE_PID")
for _ in $(seq 200); do curl -sf "$URL/health" >/dev/null 2>&1 && break; sleep 0.05; done
alive

# zip DEST [NAME=PATH]...: a zip with each file PATH stored as NAME
mkzip() {
  local dest=$1; shift
  $PY - "$dest" "$@" <<'EOF'
import sys, zipfile, os
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for a in sys.argv[2:]:
        name, path = a.split("=", 1)
        info = zipfile.ZipInfo(name)
        info.external_attr = (0o100755 if os.access(path, os.X_OK) else 0o100644) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, open(path, "rb").read())
EOF
}
mkzip "$W/echo.zip" "echo.so=$FN/echo.so"
mkzip "$W/fail.zip" "fail.so=$FN/fail.so"
mkzip "$W/two.zip" "echo.so=$FN/echo.so" "fail.so=$FN/fail.so" "README=$TUTTI_TOP/README.md"
ROLE=arn:aws:iam::123456789012:role/lambda

step "create-function from a zip"
run 0 lam create-function --function-name echo --runtime provided.al2023 --role "$ROLE" \
  --handler handler --zip-file "fileb://$W/echo.zip" --timeout 5 --memory-size 256
is "$(field .FunctionName)" echo "FunctionName"
is "$(field .FunctionArn)" "arn:aws:lambda:local:000000000000:function:echo" "FunctionArn"
is "$(field .Runtime)" provided.al2023 "Runtime"
is "$(field .Role)" "$ROLE" "Role"
is "$(field .State)" Active "State"
is "$(field .PackageType)" Zip "PackageType"
is "$(field .Timeout)" 5 "Timeout"
is "$(field .MemorySize)" 256 "MemorySize"
SHA=$($PY -c 'import hashlib,base64,sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()).digest()).decode())' "$FN/echo.so")
is "$(field .CodeSha256)" "$SHA" "CodeSha256 (base64 of the .so's SHA-256)"
field .LastModified | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+\+0000$' || fail "LastModified: $(field .LastModified)"
expect_err ResourceConflictException lam create-function --function-name echo --runtime provided.al2023 \
  --role "$ROLE" --zip-file "fileb://$W/echo.zip"
expect_err InvalidParameterValueException lam create-function --function-name py --runtime python3.12 \
  --role "$ROLE" --handler x.y --zip-file "fileb://$W/echo.zip"
expect_err InvalidParameterValueException lam create-function --function-name two --runtime provided \
  --role "$ROLE" --handler handler --zip-file "fileb://$W/two.zip"
step "Handler FILE.SYMBOL picks FILE.so out of a zip with two"
run 0 lam create-function --function-name fail --runtime provided --role "$ROLE" \
  --handler fail.handler --zip-file "fileb://$W/two.zip"
is "$(field .Handler)" fail.handler "Handler as given"

step "invoke RequestResponse"
run 0 lam invoke --function-name echo --payload '{"a": 1}' "$W/res.json"
is "$(field .StatusCode)" 200 "StatusCode"
is "$(field .ExecutedVersion)" '$LATEST' "ExecutedVersion"
is "$(jq -c . "$W/res.json")" '{"a":1}' "payload echoed"

step "invoke --log-type Tail"
run 0 lam invoke --function-name echo --payload '{"b": 2}' --log-type Tail "$W/res.json"
field .LogResult | base64 -d >"$W/tail"
grep -q "^START RequestId: .* Version: \$LATEST" "$W/tail" || grep -q "START RequestId: " "$W/tail" || { cat "$W/tail"; fail "no START line"; }
grep -q "REPORT RequestId: .*Duration: .* ms" "$W/tail" || { cat "$W/tail"; fail "no REPORT line"; }
grep -q "END RequestId: " "$W/tail" || fail "no END line"

step "invoke DryRun (204) and Event (202, then the log shows it)"
run 0 lam invoke --function-name echo --invocation-type DryRun "$W/res.json"
is "$(field .StatusCode)" 204 "DryRun"
run 0 lam invoke --function-name echo --invocation-type Event --payload '{"event": "marker-7c1"}' "$W/res.json"
is "$(field .StatusCode)" 202 "Event"
for _ in $(seq 100); do
  "$TUTTI" logs echo >"$W/logs" 2>/dev/null || true
  [ "$(grep -c 'START RequestId' "$W/logs")" -ge 3 ] && break
  sleep 0.1
done
[ "$(grep -c 'START RequestId' "$W/logs")" -ge 3 ] || { cat "$W/logs"; fail "the Event invocation is not in the log"; }

step "a failing function: FunctionError Unhandled and the error payload"
run 0 lam invoke --function-name fail --payload '{}' "$W/res.json"
is "$(field .FunctionError)" Unhandled "FunctionError"
jq -e '.errorType | length > 0' "$W/res.json" >/dev/null || fail "no errorType: $(cat "$W/res.json")"
jq -e 'has("errorMessage")' "$W/res.json" >/dev/null || fail "no errorMessage"

step "errors: unknown function, bad JSON payload"
expect_err ResourceNotFoundException lam invoke --function-name nope --payload '{}' "$W/res.json"
expect_err ResourceNotFoundException lam get-function --function-name nope
expect_err InvalidRequestContentException lam invoke --function-name echo --payload '{not json' "$W/res.json"

step "get-function, get-function-configuration, list-functions (pagination)"
run 0 lam get-function --function-name echo
is "$(field .Configuration.FunctionName)" echo "GetFunction.Configuration"
run 0 lam get-function-configuration --function-name arn:aws:lambda:local:000000000000:function:echo
is "$(field .Handler)" handler "by ARN"
run 0 lam list-functions
is "$(field '.Functions | map(.FunctionName) | sort | join(",")')" "echo,fail" "list-functions"
run 0 lam list-functions --max-items 1
is "$(field '.Functions | length')" 1 "a page of one"
field .NextToken | grep -qv null || fail "no NextToken"

step "update-function-configuration (timeout, memory, environment) and update-function-code"
run 0 lam update-function-configuration --function-name echo --timeout 7 --memory-size 512 \
  --environment 'Variables={GREETING=hi}' --description "the echo"
is "$(field .Timeout)" 7 "Timeout"
is "$(field .MemorySize)" 512 "MemorySize"
is "$(field .Environment.Variables.GREETING)" hi "Environment"
is "$(field .Description)" "the echo" "Description"
mkzip "$W/echo2.zip" "echo.so=$FN/noop.so"
run 0 lam update-function-code --function-name echo --zip-file "fileb://$W/echo2.zip"
SHA2=$($PY -c 'import hashlib,base64,sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()).digest()).decode())' "$FN/noop.so")
is "$(field .CodeSha256)" "$SHA2" "new CodeSha256"
is "$(field .Timeout)" 7 "configuration kept"

step "publish-version, list-versions-by-function, invoke --qualifier"
run 0 lam publish-version --function-name echo
V=$(field .Version)
[ "$V" -ge 1 ] || fail "Version $V"
is "$(field .FunctionArn)" "arn:aws:lambda:local:000000000000:function:echo:$V" "version ARN"
run 0 lam list-versions-by-function --function-name echo
is "$(field '.Versions[0].Version')" '$LATEST' "\$LATEST first"
field '.Versions[].Version' | grep -qx "$V" || fail "version $V not listed"
run 0 lam invoke --function-name echo --qualifier 1 --payload '{"v": 1}' "$W/res.json"
is "$(field .ExecutedVersion)" 1 "ExecutedVersion 1"
is "$(jq -c . "$W/res.json")" '{"v":1}' "version 1 is the echo"
expect_err ResourceNotFoundException lam invoke --function-name echo --qualifier 99 "$W/res.json"

step "aliases: create, get, list, update, invoke through one, delete"
run 0 lam create-alias --function-name echo --name live --function-version 1
is "$(field .AliasArn)" "arn:aws:lambda:local:000000000000:function:echo:live" "AliasArn"
expect_err ResourceConflictException lam create-alias --function-name echo --name live --function-version 1
expect_err ResourceNotFoundException lam create-alias --function-name echo --name x --function-version 42
run 0 lam get-alias --function-name echo --name live
is "$(field .FunctionVersion)" 1 "GetAlias"
run 0 lam invoke --function-name echo --qualifier live --payload '{"alias": true}' "$W/res.json"
is "$(field .ExecutedVersion)" 1 "alias -> 1"
is "$(jq -c . "$W/res.json")" '{"alias":true}' "through the alias"
run 0 lam invoke --function-name echo:live --payload '{}' "$W/res.json"
is "$(field .ExecutedVersion)" 1 "NAME:ALIAS"
run 0 lam update-alias --function-name echo --name live --function-version "$V" --description now
is "$(field .FunctionVersion)" "$V" "UpdateAlias"
run 0 lam list-aliases --function-name echo
is "$(field '.Aliases | map(.Name) | join(",")')" live "ListAliases"
run 0 lam delete-alias --function-name echo --name live
expect_err ResourceNotFoundException lam get-alias --function-name echo --name live

step "put-function-concurrency 0 throttles, as Lambda"
run 0 lam put-function-concurrency --function-name echo --reserved-concurrent-executions 0
is "$(field .ReservedConcurrentExecutions)" 0 "PutFunctionConcurrency"
run 0 lam get-function-concurrency --function-name echo
is "$(field .ReservedConcurrentExecutions)" 0 "GetFunctionConcurrency"
expect_err TooManyRequestsException lam invoke --function-name echo --payload '{}' "$W/res.json"
run 0 lam put-function-concurrency --function-name echo --reserved-concurrent-executions 2
run 0 lam get-function --function-name echo
is "$(field .Concurrency.ReservedConcurrentExecutions)" 2 "GetFunction.Concurrency"
run 0 lam invoke --function-name echo --payload '{"after": 1}' "$W/res.json"
is "$(field .StatusCode)" 200 "runs again with 2"
run 0 lam delete-function-concurrency --function-name echo
run 0 lam get-function-concurrency --function-name echo
grep -q ReservedConcurrentExecutions "$W/out" && fail "a reservation is left: $(cat "$W/out")"

step "layers: publish-layer-version from a zip with lib/, a function that needs it"
mkzip "$W/greet-layer.zip" "lib/libgreet.so.1=$TUTTI_TOP/$BUILD/layers/greet/lib/libgreet.so.1"
run 0 lam publish-layer-version --layer-name greet --zip-file "fileb://$W/greet-layer.zip" \
  --description "greet" --compatible-runtimes provided.al2023
is "$(field .Version)" 1 "layer version"
LARN=$(field .LayerVersionArn)
is "$LARN" "arn:aws:lambda:local:000000000000:layer:greet:1" "LayerVersionArn"
mkzip "$W/greet.zip" "greet.so=$FN/greet_example.so"
expect_err InvalidParameterValueException lam create-function --function-name greet0 --runtime provided \
  --role "$ROLE" --zip-file "fileb://$W/greet.zip"
run 0 lam create-function --function-name greet --runtime provided --role "$ROLE" \
  --zip-file "fileb://$W/greet.zip" --layers "$LARN"
is "$(field '.Layers[0].Arn')" "$LARN" "the function's layer"
run 0 lam invoke --function-name greet --payload '{"name": "lambda"}' "$W/res.json"
[ "$(field .FunctionError)" = null ] || fail "greet failed: $(cat "$W/res.json")"
grep -q "greet layer" "$W/res.json" || fail "greet answered $(cat "$W/res.json")"
run 0 lam list-layers
is "$(field '.Layers[] | select(.LayerName == "greet") | .LatestMatchingVersion.Version')" 1 "ListLayers"
run 0 lam list-layer-versions --layer-name greet
is "$(field '.LayerVersions | length')" 1 "ListLayerVersions"
run 0 lam get-layer-version --layer-name greet --version-number 1
is "$(field .Content.CodeSize)" "$(stat -c %s "$TUTTI_TOP/$BUILD/layers/greet/lib/libgreet.so.1")" "layer CodeSize"
expect_err ResourceNotFoundException lam get-layer-version --layer-name greet --version-number 9
run 0 lam get-layer-version-by-arn --arn "$LARN"
is "$(field .Version)" 1 "GetLayerVersionByArn"

step "hostile zips refused by name, the server still answering"
$PY - "$W" <<'EOF'
import sys, zipfile
w = sys.argv[1]
with zipfile.ZipFile(w + "/slip.zip", "w") as z:
    z.writestr("../../evil.so", b"x")
with zipfile.ZipFile(w + "/abs.zip", "w") as z:
    z.writestr("/tmp/evil.so", b"x")
with zipfile.ZipFile(w + "/link.zip", "w") as z:
    i = zipfile.ZipInfo("lib/out")
    i.external_attr = (0o120777) << 16
    z.writestr(i, "../../../../etc")
    z.writestr("lib/out/passwd", b"x")
with zipfile.ZipFile(w + "/bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
    chunk = b"\0" * (64 << 20)
    for k in range(5):       # 5 x 64 MiB of zeros: 320 MiB unzipped, ~320 KiB zipped
        z.writestr("zeros%d" % k, chunk)
open(w + "/notzip.zip", "wb").write(b"this is not a zip file at all, it is text" * 4)
EOF
[ "$(stat -c %s "$W/bomb.zip")" -lt 2000000 ] || fail "the bomb is not small"
for z in slip abs link bomb; do
  expect_err InvalidParameterValueException lam publish-layer-version --layer-name "bad-$z" --zip-file "fileb://$W/$z.zip"
  if [ "$z" = bomb ]; then grep -q "Unzipped size must be smaller" "$W/err" || fail "the bomb is not named as such"; fi
  alive
done
# The CLI itself refuses a file that does not start as a zip: send one raw.
printf '{"Content": {"ZipFile": "%s"}}' "$(base64 -w0 "$W/notzip.zip")" >"$W/notzip.json"
curl -s -o "$W/body" -D "$W/hdr" -X POST --data-binary @"$W/notzip.json" "$URL/2018-10-31/layers/bad-notzip/versions"
grep -qi '^X-Amzn-ErrorType: InvalidParameterValueException' "$W/hdr" || { cat "$W/hdr" "$W/body"; fail "not a zip"; }
grep -q 'not a zip archive' "$W/body" || fail "not a zip: $(cat "$W/body")"
alive
expect_err InvalidParameterValueException lam create-function --function-name slip --runtime provided \
  --role "$ROLE" --zip-file "fileb://$W/slip.zip"
[ ! -e "$TUTTI_HOME/evil.so" ] && [ ! -e "$TUTTI_HOME/tmp/evil.so" ] || fail "zip-slip wrote outside"
ls "$TUTTI_HOME/tmp" 2>/dev/null | grep -q lambda-zip && fail "extraction directories left behind"

step "malformed requests: restJson1 error shapes, never a crash"
curl -s -o "$W/body" -D "$W/hdr" -X POST -H 'Content-Type: application/json' --data '{nope' "$URL/2015-03-31/functions"
grep -qi '^X-Amzn-ErrorType: InvalidRequestContentException' "$W/hdr" || { cat "$W/hdr"; fail "no X-Amzn-ErrorType"; }
jq -e '.Type == "User" and (.message | length > 0)' "$W/body" >/dev/null || fail "body $(cat "$W/body")"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST --data '[1]' "$URL/2015-03-31/functions")" 400 "array body"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST --data '{"FunctionName": 5}' "$URL/2015-03-31/functions")" 400 "wrong type"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/2015-03-31/functions/echo/nothing")" 404 "unknown operation"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/2015-03-31/functions/bad%20name")" 400 "bad name"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST --data '{"ZipFile": "!!!"}' -X PUT "$URL/2015-03-31/functions/echo/code")" 400 "bad base64"
# Invoke payloads: over 6 MiB refused with Lambda's error; not JSON refused
python3 -c 'import sys; sys.stdout.write("\"" + "x" * (6 * 1024 * 1024 + 16) + "\"")' >"$W/big.json"
curl -s -o "$W/body" -D "$W/hdr" -X POST --data-binary @"$W/big.json" "$URL/2015-03-31/functions/echo/invocations"
grep -qi '^X-Amzn-ErrorType: RequestTooLargeException' "$W/hdr" || { cat "$W/hdr"; fail "a 6 MiB+ payload"; }
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST --data '{nope' "$URL/2015-03-31/functions/echo/invocations")" 400 "a payload that is not JSON"
alive

step "deletes: a version, a layer version, functions"
run 0 lam delete-function --function-name echo --qualifier 1
expect_err ResourceNotFoundException lam get-function --function-name echo --qualifier 1
run 0 lam delete-layer-version --layer-name greet --version-number 1
expect_err ResourceNotFoundException lam get-layer-version --layer-name greet --version-number 1
for f in echo fail greet; do run 0 lam delete-function --function-name "$f"; done
expect_err ResourceNotFoundException lam get-function --function-name echo
run 0 lam list-functions
is "$(field '.Functions | length')" 0 "no functions left"
alive

step "the server stops cleanly (and, in a sanitizer build, reports nothing)"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || { tail -30 "$W/serve.log"; fail "tutti serve exited $?"; }
if grep -qE "AddressSanitizer|LeakSanitizer|runtime error:" "$W/serve.log"; then
  grep -A30 -E "AddressSanitizer|LeakSanitizer|runtime error:" "$W/serve.log" | head -60
  fail "the sanitizers reported errors"
fi
ok "api_lambda"
