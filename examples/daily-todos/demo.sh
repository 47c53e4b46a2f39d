#!/usr/bin/env bash
# The seed scenario, end to end, on this machine: a local HTTP fixture
# serves a todos list on 127.0.0.1; the state machine fetches it with the
# fetch_todos function (curl and jansson layers, network on) and stores it
# with the built-in S3 integration in the default file-backed bucket store.
# `make demo` runs this. Uses a throw-away $TUTTI_HOME unless one is set.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
B="$TOP/$BUILD"
T="$B/bin/tutti"
EX="$TOP/examples/daily-todos"
export TUTTI_HOME=${TUTTI_HOME:-$(mktemp -d /tmp/tutti-demo.XXXXXX)}
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

# The API: the fixture prints its port, and stops when our pipe closes.
exec 3< <(exec "$B/fixtures/http_fixture" 0 </dev/null)
fixture_pid=$!
trap 'kill $fixture_pid 2>/dev/null || true' EXIT
read -r port <&3
url="http://127.0.0.1:$port/todos"
echo "TUTTI_HOME=$TUTTI_HOME; the todos API is served at $url"

say tutti layer publish curl "$BUILD/layers/curl"
"$T" layer publish curl "$B/layers/curl" >/dev/null
say tutti layer publish jansson "$BUILD/layers/jansson"
"$T" layer publish jansson "$B/layers/jansson" >/dev/null
say tutti function create fetch_todos --code "$BUILD/examples/fetch_todos.so" --layer curl --layer jansson --network --timeout 30
"$T" function create fetch_todos --code "$B/examples/fetch_todos.so" --layer curl --layer jansson \
	--network --timeout 30 >/dev/null
say tutti bucket create todos
"$T" bucket create todos >/dev/null
say tutti run examples/daily-todos/daily-todos.asl.json --input "{\"url\": \"$url\"}"
out=$("$T" run "$EX/daily-todos.asl.json" --input "{\"url\": \"$url\"}")
echo "$out"
key=$(printf '%s' "$out" | jq -r .key)
printf '\nThe object landed in bucket "todos" as %s\n(file store: %s)\n' "$key" "$TUTTI_HOME/buckets/todos/$key"
say tutti bucket get todos "$key" '| head -c 300'
"$T" bucket get todos "$key" | head -c 300
printf '...\n\nSchedule it daily at 12:00 UTC: see examples/daily-todos/README.md.\n'
