#!/usr/bin/env bash
# The web console in headless Chromium (tests/browser/measure.mjs), against a
# real `tutti serve` holding 10,000 finished executions:
#   console.first_paint_ms   a full load of /console/#/executions: from the
#                            navigation's start to the first animation frame
#                            after the executions table has its first row
#                            (not Chromium's first-contentful-paint, which is
#                            the header's, before any data; measure.mjs
#                            prints it beside)
#   console.graph_1000_ms    a full load of a 1,000-state machine's page: from
#                            the navigation's start to the graph's SVG in the
#                            DOM (laid out by Graphviz on the server); each
#                            load a different machine, a layout the server
#                            has not cached
#   console.graph_1000_cached_ms   the same, one machine's page again (its
#                            SVG cached by the server)
# Medians of 5 loads each, after one warm-up load. Prints SKIP lines when
# Chromium or playwright-core is missing, or the server has no console.
# $TUTTI_BENCH_CONSOLE_N: executions (default 10000).
set -uo pipefail
TOP=${TUTTI_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-build}
TUTTI=${TUTTI:-$TOP/$BUILD/bin/tutti}
N=${TUTTI_BENCH_CONSOLE_N:-10000}
NAMES="console.first_paint_ms, console.graph_1000_ms, console.graph_1000_cached_ms"
command -v node >/dev/null || { echo "SKIP: $NAMES: node is not installed"; exit 0; }
[ -x /usr/bin/chromium ] || { echo "SKIP: $NAMES: /usr/bin/chromium is not installed"; exit 0; }
[ -f /opt/playwright/node_modules/playwright-core/package.json ] ||
  { echo "SKIP: $NAMES: playwright-core is not installed under /opt/playwright"; exit 0; }
D=$(mktemp -d "${TUTTI_BENCH_DIR:-/var/tmp}/tutti-bench-console.XXXXXX")
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$D"' EXIT
export TUTTI_HOME=$D/home
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
EP="http://127.0.0.1:$PORT"
"$TUTTI" serve --listen "127.0.0.1:$PORT" 2>"$D/serve.log" &
PID=$!
for _ in $(seq 200); do curl -sf "$EP/health" >/dev/null 2>&1 && break; sleep 0.05; done
curl -sf "$EP/health" >/dev/null || { echo "SKIP: $NAMES: tutti serve did not start"; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "$EP/console/")
[ "$code" = 200 ] || { echo "SKIP: $NAMES: this tutti does not serve /console/ (HTTP $code)"; exit 0; }
graph=
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Origin: $EP" -H 'Content-Type: application/json' \
  -d '{"definition": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}}"}' "$EP/console/api/graph")
if [ "$code" != 200 ]; then
  echo "SKIP: console.graph_1000_ms, console.graph_1000_cached_ms: POST /console/api/graph answered $code"
  graph=--no-graph
fi
node "$TOP/tests/browser/measure.mjs" --console "$EP/console/" --endpoint "$EP" --runs 5 --executions "$N" $graph
