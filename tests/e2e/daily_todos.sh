#!/usr/bin/env bash
# The seed scenario (examples/daily-todos) end to end through the real CLI,
# runtime and integrations: a local HTTP fixture on 127.0.0.1 stands for the
# API. Checks the stored object against what the API served, then faults:
# HTTP 500 (retried, then recorded), non-JSON, a 50 MiB body, the API down,
# a missing bucket; then the same machine against a real S3-compatible
# server (s3rver), and the variant where a function writes the object
# through the s3 layer. Needs $TUTTI, $TUTTI_TOP, $BUILD, $TUTTI_HOME.
. "$(dirname "$0")/lib.sh"
e2e_init todos
T=$TUTTI
B="$TUTTI_TOP/$BUILD"
EX="$TUTTI_TOP/examples/daily-todos"
work=$W

exec 3< <(exec "$B/fixtures/http_fixture" 0 </dev/null)
E2E_PIDS+=($!)
read -r port <&3
api=http://127.0.0.1:$port
day=$(date -u +%Y-%m-%d)

"$T" layer publish curl "$B/layers/curl" >/dev/null
"$T" layer publish jansson "$B/layers/jansson" >/dev/null
# (Sanitizer builds: AddressSanitizer's shadow and quarantine live in the
# function's memory too.)
mem=128
case "$BUILD" in *asan*) mem=1024 ;; esac
"$T" function create fetch_todos --code "$B/examples/fetch_todos.so" --layer curl --layer jansson \
	--network --timeout 10 --memory $mem >/dev/null
"$T" bucket create todos >/dev/null

run() { "$T" run "$1" --wait-scale 0 --input "$2" --history="$work/history.json" || true; }

# 1. The scenario: the object is exactly what the API served.
out=$(run "$EX/daily-todos.asl.json" "{\"url\":\"$api/todos\"}")
[ "$(jq -r .key <<<"$out")" = "todos/$day.json" ] || fail "key: $out"
[ "$(jq -r .items <<<"$out")" = 200 ] || fail "items: $out"
curl -s "$api/todos" >"$work/served.json"
"$T" bucket get todos "todos/$day.json" >"$work/stored.json"
jq -e -n --slurpfile a "$work/served.json" --slurpfile b "$work/stored.json" '$a == $b' >/dev/null ||
	fail "the stored object differs from the API's response"
jq -e '[.events[].type] | index("TaskSucceeded") and (.[-1] == "ExecutionSucceeded")' "$work/history.json" >/dev/null ||
	fail "history: $(jq -c '[.events[].type]' "$work/history.json")"
ok "stored todos/$day.json, identical to the API's 200 todos"

# Defaults: bucket and prefix from the input.
"$T" bucket create archive >/dev/null
out=$(run "$EX/daily-todos.asl.json" "{\"url\":\"$api/todos\",\"bucket\":\"archive\",\"prefix\":\"daily/\"}")
[ "$(jq -r .key <<<"$out")" = "daily/$day.json" ] && "$T" bucket get archive "daily/$day.json" >/dev/null ||
	fail "bucket/prefix from the input: $out"
ok "bucket and prefix taken from the input"

# 2. HTTP 500: retried (3 retries), then the failure is recorded and the
#    execution fails with the function's error.
out=$(run "$EX/daily-todos.asl.json" "{\"url\":\"$api/status/500\"}")
[ "$(jq -r .error <<<"$out")" = Fetch.HttpError ] || fail "500: $out"
n=$(jq '[.events[] | select(.type == "TaskFailed")] | length' "$work/history.json")
[ "$n" = 4 ] || fail "500: wanted 4 attempts (1 + 3 retries), history has $n failed tasks"
rec=$("$T" bucket get todos "failures/$day.json")
[ "$(jq -r .error <<<"$rec")" = Fetch.HttpError ] || fail "failure record: $rec"
ok "HTTP 500: 4 attempts, failure recorded in failures/$day.json"

# 3. Non-JSON and a 50 MiB body: not retried, recorded.
out=$(run "$EX/daily-todos.asl.json" "{\"url\":\"$api/badjson\"}")
[ "$(jq -r .error <<<"$out")" = Fetch.InvalidJson ] || fail "badjson: $out"
n=$(jq '[.events[] | select(.type == "TaskFailed")] | length' "$work/history.json")
[ "$n" = 1 ] || fail "badjson was retried ($n attempts)"
ok "non-JSON response: Fetch.InvalidJson, not retried"
out=$(run "$EX/daily-todos.asl.json" "{\"url\":\"$api/big?mb=50\"}")
[ "$(jq -r .error <<<"$out")" = Fetch.TooLarge ] || fail "50 MiB: $out"
ok "50 MiB response: Fetch.TooLarge"

# 4. The API down: a port nothing listens on.
exec 4< <(exec "$B/fixtures/http_fixture" 0 </dev/null)
dead_pid=$!
read -r dead <&4
kill "$dead_pid"; wait "$dead_pid" 2>/dev/null || true
out=$(run "$EX/daily-todos.asl.json" "{\"url\":\"http://127.0.0.1:$dead/todos\"}")
[ "$(jq -r .error <<<"$out")" = Fetch.NetworkError ] || fail "API down: $out"
ok "API down: Fetch.NetworkError after retries"

# 5. A missing bucket: the store fails, so does the record; nothing written.
out=$(run "$EX/daily-todos.asl.json" "{\"url\":\"$api/todos\",\"bucket\":\"nosuch\"}")
[ "$(jq -r .error <<<"$out")" = S3.NoSuchBucketException ] || fail "missing bucket: $out"
[ ! -e "$TUTTI_HOME/buckets/nosuch" ] || fail "missing bucket: something was created"
ok "missing bucket: S3.NoSuchBucketException"
# No temporary files left behind by any of the above.
left=$(find "$TUTTI_HOME/buckets" -name '*.tmp*' | wc -l)
[ "$left" = 0 ] || fail "$left temporary files left in the bucket store"
ok "no half-written objects"

# 5b. The JSONata variant (daily-todos-jsonata.asl.json): the same object,
#     the same retries and failure record, the same output.
"$T" bucket create todos-ata >/dev/null
out=$(run "$EX/daily-todos-jsonata.asl.json" "{\"url\":\"$api/todos\",\"bucket\":\"todos-ata\"}")
[ "$(jq -r .key <<<"$out")" = "todos/$day.json" ] && [ "$(jq -r .items <<<"$out")" = 200 ] &&
	[ "$(jq -r .bucket <<<"$out")" = todos-ata ] && [ -n "$(jq -r '.etag // empty' <<<"$out")" ] ||
	fail "jsonata variant: $out"
"$T" bucket get todos-ata "todos/$day.json" >"$work/stored-ata.json"
jq -e -n --slurpfile a "$work/served.json" --slurpfile b "$work/stored-ata.json" '$a == $b' >/dev/null ||
	fail "jsonata variant: the stored object differs from the API's response"
jq -e '[.events[] | select(.type == "TaskScheduled") | tostring | contains("todos-ata")] | any' \
	"$work/history.json" >/dev/null || fail "jsonata variant: TaskScheduled does not carry the evaluated Arguments"
ok "jsonata variant: stored todos/$day.json in todos-ata, identical to the API's response"
out=$(run "$EX/daily-todos-jsonata.asl.json" "{\"url\":\"$api/status/500\",\"bucket\":\"todos-ata\"}")
[ "$(jq -r .error <<<"$out")" = Fetch.HttpError ] || fail "jsonata variant, 500: $out"
n=$(jq '[.events[] | select(.type == "LambdaFunctionFailed" or .type == "TaskFailed")] | length' "$work/history.json")
[ "$n" = 4 ] || fail "jsonata variant, 500: wanted 4 failed attempts, history has $n"
rec=$("$T" bucket get todos-ata "failures/$day.json")
[ "$(jq -r .error <<<"$rec")" = Fetch.HttpError ] && [ "$(jq -r .url <<<"$rec")" = "$api/status/500" ] ||
	fail "jsonata variant, failure record: $rec"
ok "jsonata variant: HTTP 500 retried 3 times, failure recorded, Fail Error/Cause from variables"

# 6. Against a real S3-compatible server, both variants.
S3RVER=${TUTTI_S3RVER:-/opt/s3rver/node_modules/.bin/s3rver}
if [ ! -x "$S3RVER" ]; then
	[ "${TUTTI_REQUIRE_S3RVER:-0}" = 1 ] && fail "s3rver not found at $S3RVER"
	echo "SKIP: s3rver not found at $S3RVER: the S3-server half is not run"
	exit 77
fi
mkdir -p "$work/s3"
NODE_OPTIONS=--openssl-legacy-provider "$S3RVER" -d "$work/s3" -a 127.0.0.1 -p 0 \
	--configure-bucket todos >"$work/s3rver.log" 2>&1 &
E2E_PIDS+=($!)
s3=
for _ in $(seq 100); do
	s3=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/s3rver.log" | head -1)
	[ -n "$s3" ] && break
	sleep 0.1
done
[ -n "$s3" ] || fail "s3rver did not start: $(cat "$work/s3rver.log")"
s3env=(AWS_ENDPOINT_URL_S3=http://127.0.0.1:$s3 AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
       AWS_REGION=us-east-1 TUTTI_S3_PATH_STYLE=1 TUTTI_S3_SIGV4=1)
out=$(env "${s3env[@]}" "$T" run "$EX/daily-todos.asl.json" --wait-scale 0 --input "{\"url\":\"$api/todos\"}" || true)
[ "$(jq -r .items <<<"$out")" = 200 ] || fail "s3rver: $out"
got=$(env "${s3env[@]}" "$T" bucket get todos "todos/$day.json")
jq -e -n --slurpfile a "$work/served.json" --argjson b "$got" '$a[0] == $b' >/dev/null ||
	fail "s3rver: the stored object differs"
ok "built-in S3 integration against s3rver (SigV4)"

# The variant: store_todos writes the object itself through the s3 layer.
"$T" layer publish s3 "$B/layers/s3" >/dev/null
"$T" function create store_todos --code "$B/examples/store_todos.so" --layer s3 --layer jansson \
	--network --timeout 10 --memory $mem --env AWS_ENDPOINT_URL_S3=http://127.0.0.1:$s3 --env S3_ACCESS_KEY_ID=S3RVER \
	--env S3_SECRET_ACCESS_KEY=S3RVER --env TUTTI_S3_PATH_STYLE=1 \
	--env TUTTI_S3_SIGV4=1 >/dev/null
out=$(env "${s3env[@]}" "$T" run "$EX/daily-todos-function-store.asl.json" --wait-scale 0 \
	--input "{\"url\":\"$api/todos\",\"prefix\":\"by-function/\"}" || true)
[ "$(jq -r .key <<<"$out")" = "by-function/$day.json" ] || fail "function store: $out"
got=$(env "${s3env[@]}" "$T" bucket get todos "by-function/$day.json")
jq -e -n --slurpfile a "$work/served.json" --argjson b "$got" '$a[0] == $b' >/dev/null ||
	fail "function store: the stored object differs"
ok "variant: store_todos (s3 layer) against s3rver"
echo "all daily-todos checks passed"
