#!/usr/bin/env bash
# The 5-minute tour, run for real: build a function, publish a layer,
# create functions, invoke them (warm and cold), show errors and logs.
# Uses a throw-away $TUTTI_HOME unless one is set.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
T="$TOP/$BUILD/bin/tutti"
export TUTTI_HOME=${TUTTI_HOME:-$(mktemp -d /tmp/tutti-demo.XXXXXX)}
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@" || true; }

work=$(mktemp -d /tmp/tutti-demo-src.XXXXXX)
cat >"$work/greet.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <tutti.h>

static int calls;

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char out[256];

	printf("call %d, request %s, %ld ms left\n", ++calls, tt_request_id(ctx), tt_remaining_ms(ctx));
	if (strstr(event, "\"fail\""))
		return tt_raise(ctx, "DemoError", "asked to fail (%zu-byte event)", len);
	snprintf(out, sizeof out, "{\"hello\":\"world\",\"calls\":%d}", calls);
	return tt_return(ctx, out, 0);
}
C
echo "TUTTI_HOME=$TUTTI_HOME"
run "$T" build "$work/greet.c" -o "$work/greet.so"
run "$T" function create greet --code "$work/greet.so" --timeout 5
run "$T" invoke greet --payload '{"name":"tutti"}'
run "$T" invoke greet --payload '{"fail":true}' --log
run "$T" layer publish jansson "$TOP/$BUILD/layers/jansson"
run "$T" function create json --code "$TOP/$BUILD/functions/json_example.so" --layer jansson
run "$T" invoke json --payload '{"a":1,"b":[2,3]}'
run "$T" function list
rm -rf "$work"
printf '\nDone. Next: docs/cli.md, docs/sdk.md, docs/security.md.\n'
