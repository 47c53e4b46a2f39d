#!/usr/bin/env bash
# The seed scenario, end to end, on this machine: a local HTTP fixture
# serves a todos list on 127.0.0.1; the state machine fetches it with the
# fetch_todos function (curl and jansson layers, network on) and stores it
# with the built-in S3 integration in the default file-backed bucket store.
# A `tutti serve` keeps it: an EventBridge rule runs it daily at 12:00 UTC,
# and a one-time at() schedule a few seconds ahead shows a fire now.
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
# The server: one process keeps the executions, fires the schedules and
# answers the CLI (and the AWS CLI) on a free port of 127.0.0.1.
sport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export TUTTI_ENDPOINT="http://127.0.0.1:$sport"
say tutti serve --listen "127.0.0.1:$sport" '&'
"$T" serve --listen "127.0.0.1:$sport" 2>"$TUTTI_HOME/serve.log" &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null || true; wait $serve_pid 2>/dev/null || true; kill $fixture_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "$TUTTI_ENDPOINT/health" >/dev/null 2>&1 && break; sleep 0.05; done

say tutti state-machine create daily-todos --definition examples/daily-todos/daily-todos.asl.json
sm=$("$T" state-machine create daily-todos --definition "$EX/daily-todos.asl.json" | jq -r .stateMachineArn)
echo "$sm"
input="{\"url\": \"$url\"}"
say tutti rule put daily-todos --schedule-expression "'cron(0 12 * * ? *)'"
"$T" rule put daily-todos --schedule-expression 'cron(0 12 * * ? *)' | jq -c .
say tutti rule targets daily-todos --target "$sm" --target-input "'$input'"
"$T" rule targets daily-todos --target "$sm" --target-input "$input" | jq -c .
say tutti schedule next "'cron(0 12 * * ? *)'" -n 5
"$T" schedule next 'cron(0 12 * * ? *)' -n 5

# A fire now, rather than at noon: a one-time schedule 3 seconds ahead.
at=$(date -u -d '+3 seconds' +%Y-%m-%dT%H:%M:%S)
say tutti schedule create todos-now --schedule-expression "'at($at)'" --target "$sm" --target-input "'$input'" --after-completion DELETE
"$T" schedule create todos-now --schedule-expression "at($at)" --target "$sm" \
	--target-input "$input" --after-completion DELETE | jq -c .
printf 'waiting for the fire at %sZ ...\n' "$at"
arn=
for _ in $(seq 300); do
	arn=$("$T" execution list --state-machine daily-todos --output json |
		jq -r '[.executions[] | select(.status != "RUNNING")][0].executionArn // empty')
	[ -n "$arn" ] && break
	sleep 0.1
done
[ -n "$arn" ] || { echo "the schedule did not fire; the server said:"; cat "$TUTTI_HOME/serve.log"; exit 1; }
say tutti execution describe "$arn"
desc=$("$T" execution describe "$arn")
echo "$desc" | jq '{executionArn, status, startDate, stopDate, output}'
[ "$(echo "$desc" | jq -r .status)" = SUCCEEDED ] || { echo "the execution did not succeed"; exit 1; }
say tutti execution history "$arn"
"$T" execution history "$arn"
key=$(echo "$desc" | jq -r '.output | fromjson | .key')
printf '\nThe object landed in bucket "todos" as %s\n(file store: %s)\n' "$key" "$TUTTI_HOME/buckets/todos/$key"
say tutti bucket get todos "$key" '| head -c 300'
"$T" bucket get todos "$key" | head -c 300
printf '...\n'
printf '\nThe web console shows the machine drawn, the next fire times of its rule and this\nexecution with its key:\n  %s/console/#/state-machines/%s\n' \
	"$TUTTI_ENDPOINT" "$(jq -rn --arg a "$sm" '$a | @uri')"
if [ -n "${DEMO_KEEP:-}" ]; then
	printf '(DEMO_KEEP is set: the server keeps running; Ctrl-C stops it)\n'
	wait "$serve_pid" || true
fi
say kill -TERM '$serve_pid'
kill -TERM "$serve_pid"; wait "$serve_pid" || true
tail -1 "$TUTTI_HOME/serve.log"
printf '\nThe daily rule is kept in %s: a `tutti serve` on this home fires it every day at 12:00 UTC.\nSee examples/daily-todos/README.md.\n' "$TUTTI_HOME"
