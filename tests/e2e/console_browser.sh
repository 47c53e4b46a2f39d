#!/usr/bin/env bash
# The web console in headless Chromium (tests/browser/console.test.mjs)
# against a real `tutti serve` on this $TUTTI_HOME: open it, create a state
# machine in the editor (a diagnostic while typing), watch an execution
# succeed live, read a failed state's error and cause, page and filter a
# 1,000-iteration Map, open a state with the keyboard only, invoke a
# function (result and log tail), schedules' next fire times and a fire's
# execution, the daily-todos example drawn and run, API errors shown as
# they came, 10,000 executions (the list's first paint, <= 100 rows) and a
# 1,000-state graph. Screenshots: $BUILD/screenshots/*.png.
# Skips when Chromium or playwright-core is not installed (fails instead
# under TUTTI_REQUIRE_BROWSER=1).
# TUTTI_CONSOLE_DEVSERVER=1 serves console/web from the working tree
# (tests/browser/devserver.mjs) in front of the server instead of the
# files compiled into tutti; CONSOLE_ONLY=a,b runs only those scenarios.
. "$(dirname "$0")/lib.sh"
e2e_init console_browser
need node jq curl python3
# Without Chromium or playwright-core: SKIP, unless TUTTI_REQUIRE_BROWSER=1
# (set by .ci/run once it installed both): then a FAIL.
nobrowser() { [ "${TUTTI_REQUIRE_BROWSER:-0}" = 1 ] && fail "$1 (TUTTI_REQUIRE_BROWSER=1)"; skip "$1"; }
[ -x /usr/bin/chromium ] || nobrowser "/usr/bin/chromium is not installed"
[ -f /opt/playwright/node_modules/playwright-core/package.json ] ||
  nobrowser "playwright-core is not installed under /opt/playwright"
"$TUTTI" serve --help >/dev/null 2>&1 || skip "this tutti has no 'serve' command"
B="$TUTTI_TOP/$BUILD"

# Functions and layers (made before the server starts, as a user would).
"$TUTTI" layer publish jansson "$B/layers/jansson" >/dev/null
"$TUTTI" layer publish curl "$B/layers/curl" >/dev/null
for f in echo fail; do "$TUTTI" function create "$f" --code "$FN/$f.so" >/dev/null; done
"$TUTTI" function create hello --code "$FN/hello.so" --env GREETING=Bonjour --layer jansson >/dev/null
# examples/daily-todos, as `make demo` runs it: a local todos API, the
# fetch_todos function, the todos bucket.
TODOS_URL=
if [ -x "$B/fixtures/http_fixture" ] && [ -f "$B/examples/fetch_todos.so" ]; then
  exec 3< <(exec "$B/fixtures/http_fixture" 0 </dev/null)
  E2E_PIDS+=($!)
  read -r fport <&3
  TODOS_URL="http://127.0.0.1:$fport/todos"
  mem=128
  case "$BUILD" in *asan*) mem=1024 ;; esac
  "$TUTTI" function create fetch_todos --code "$B/examples/fetch_todos.so" --layer curl --layer jansson \
    --network --timeout 30 --memory $mem >/dev/null
  "$TUTTI" bucket create todos >/dev/null
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
E="http://127.0.0.1:$PORT"
e2e_bg "$TUTTI" serve --listen "127.0.0.1:$PORT" 2>"$W/serve.log"
SERVE_PID=$!
for _ in $(seq 200); do
  curl -sf "$E/health" >/dev/null 2>&1 && break
  kill -0 "$SERVE_PID" 2>/dev/null || { tail -20 "$W/serve.log"; fail "tutti serve exited"; }
  sleep 0.05
done
curl -sf "$E/health" >/dev/null || fail "tutti serve did not answer on $E"

CONSOLE="$E/console/"
if [ "${TUTTI_CONSOLE_DEVSERVER:-}" = 1 ]; then
  e2e_bg node "$TUTTI_TOP/tests/browser/devserver.mjs" --upstream "$E" --port 0 >"$W/dev.log" 2>&1
  for _ in $(seq 100); do grep -q '^devserver: ' "$W/dev.log" && break; sleep 0.05; done
  CONSOLE=$(sed -n 's/^devserver: //p' "$W/dev.log")
  [ -n "$CONSOLE" ] || { cat "$W/dev.log"; fail "the dev server did not start"; }
fi
code=$(curl -s -o /dev/null -w '%{http_code}' "$CONSOLE")
[ "$code" = 200 ] || fail "GET $CONSOLE answered $code: this tutti does not serve the console"

# A second server, on its own home, that wants SigV4 (the sign-in form).
AUTH_CONSOLE=
if [ "${TUTTI_CONSOLE_DEVSERVER:-}" != 1 ]; then
  mkdir -m 700 "$W/authhome"
  printf '[default]\naws_access_key_id = AKIDCONSOLE\naws_secret_access_key = console/Secret+1\n' >"$W/authhome/credentials"
  chmod 600 "$W/authhome/credentials"
  APORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  TUTTI_HOME="$W/authhome" e2e_bg "$TUTTI" serve --listen "127.0.0.1:$APORT" 2>"$W/authserve.log"
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$APORT/health" >/dev/null 2>&1 && break; sleep 0.05; done
  AUTH_CONSOLE="http://127.0.0.1:$APORT/console/"
fi

rc=0
AUTH_CONSOLE_URL="$AUTH_CONSOLE" AUTH_KEY_ID=AKIDCONSOLE AUTH_SECRET='console/Secret+1' \
CONSOLE_URL="$CONSOLE" TUTTI_ENDPOINT="$E" TUTTI_TOP="$TUTTI_TOP" SHOTS="$B/screenshots" TODOS_URL="$TODOS_URL" \
  node "$TUTTI_TOP/tests/browser/console.test.mjs" || rc=$?
[ "$rc" = 77 ] && exit 77   # node printed the SKIP line
[ "$rc" = 0 ] || { echo "--- tutti serve's log (last 20 lines)"; tail -20 "$W/serve.log"; fail "console browser tests: exit $rc"; }
ok "console browser tests"
