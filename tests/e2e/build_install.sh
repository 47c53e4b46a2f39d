#!/usr/bin/env bash
# End to end: `tutti build` compiles functions against the SDK, and
# `make install` yields a tree (binary, tutti.h, tutti.pc, functions,
# layers) that functions can be built against with pkg-config.
# Run by scripts/run-e2e.sh (TUTTI, TUTTI_TOP, BUILD set); exit 0 = pass.
. "$(dirname "$0")/lib.sh"
e2e_init build
top=$TUTTI_TOP tmp=$W

# is_function SO: an ELF shared object exporting handler and the ABI marker.
is_function() {
  [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = "177ELF" ] || fail "$1 is not ELF"
  readelf -h "$1" | grep -q 'Type:.*DYN' || fail "$1 is not a shared object"
  nm -D --defined-only "$1" | grep -qE ' T handler$' || fail "$1 does not export handler"
  nm -D --defined-only "$1" | grep -qE ' [VvDdRr] tutti_abi_version$' || fail "$1 lacks tutti_abi_version"
}

cat > "$tmp/fn.c" <<'EOF'
#include <tutti.h>
#include "helper.h"
int handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)event; (void)len;
	return tt_return(ctx, helper_answer(), 0);
}
EOF
cat > "$tmp/helper.h" <<'EOF'
const char *helper_answer(void);
EOF
cat > "$tmp/helper.c" <<'EOF'
#include "helper.h"
#ifndef ANSWER
#define ANSWER "42"
#endif
const char *helper_answer(void) { return ANSWER; }
EOF

step "build: one source"
"$TUTTI" build "$top/functions/echo.c" -o "$tmp/echo.so"
is_function "$tmp/echo.so"

step "build: several sources, extra flags after --"
"$TUTTI" build "$tmp/fn.c" "$tmp/helper.c" -o "$tmp/fn.so" -- -I"$tmp" '-DANSWER="\"from flags\""' -Werror
is_function "$tmp/fn.so"
nm -D --defined-only "$tmp/fn.so" | grep -q ' T helper_answer$' || fail "helper.c was not linked in"
strings "$tmp/fn.so" | grep -q '"from flags"' || fail "-DANSWER after -- did not reach the compiler"

step "build: an extra flag that breaks the compile fails with 1"
rc=0; "$TUTTI" build "$tmp/fn.c" "$tmp/helper.c" -o "$tmp/x.so" -- -I"$tmp" -DANSWER=oops 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] || fail "expected exit 1, got $rc"

step "build: a compile error exits 1 and shows the compiler's message"
printf '#include <tutti.h>\nint handler(tt_ctx *c, const char *e, size_t n) { return undeclared_thing; }\n' > "$tmp/bad.c"
rc=0; "$TUTTI" build "$tmp/bad.c" -o "$tmp/bad.so" 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] || fail "expected exit 1, got $rc"
grep -q undeclared_thing "$tmp/err" || fail "compiler message not shown: $(cat "$tmp/err")"
[ ! -e "$tmp/bad.so" ] || fail "bad.so exists after a failed compile"

step "build: usage errors exit 2"
rc=0; "$TUTTI" build "$tmp/fn.c" 2>/dev/null || rc=$?; [ "$rc" = 2 ] || fail "no -o: expected 2, got $rc"
rc=0; "$TUTTI" build -o "$tmp/x.so" 2>/dev/null || rc=$?; [ "$rc" = 2 ] || fail "no source: expected 2, got $rc"
rc=0; "$TUTTI" build "$tmp/fn.c" -o 2>/dev/null || rc=$?; [ "$rc" = 2 ] || fail "-o without a name: expected 2, got $rc"
rc=0; CC=/nonexistent/cc "$TUTTI" build "$tmp/fn.c" -o "$tmp/x.so" 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "missing compiler: expected 2, got $rc"

step "build --cflags names the directory of tutti.h"
cflags=$("$TUTTI" build --cflags)
inc=$(printf '%s\n' "$cflags" | tr ' ' '\n' | sed -n 's/^-I//p' | head -1)
[ -r "$inc/tutti.h" ] || fail "--cflags gave '$cflags': no tutti.h there"
TUTTI_INCLUDE="$tmp" "$TUTTI" build --cflags >/dev/null 2>&1 && fail "TUTTI_INCLUDE without tutti.h accepted"

step "make install DESTDIR=... PREFIX=/usr"
root="$tmp/root"
make -s --no-print-directory -C "$top" install BUILD="$BUILD" DESTDIR="$root" PREFIX=/usr >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "make install failed"; }
for f in bin/tutti lib/tutti/tutti-integrations.so include/tutti.h lib/pkgconfig/tutti.pc share/tutti/functions/echo.so \
         share/tutti/layers/jansson/lib/libjansson.so.4 share/tutti/layers/curl/lib/libcurl.so.4 \
         share/tutti/layers/greet/lib/libgreet.so.1 share/tutti/layers/greet/include/greet.h; do
  [ -e "$root/usr/$f" ] || fail "not installed: /usr/$f"
done

step "pkg-config tutti from the installed tree"
pc() { PKG_CONFIG_PATH="$root/usr/lib/pkgconfig" pkg-config --define-variable=prefix="$root/usr" "$@" tutti; }
pc --exists || fail "pkg-config does not find tutti.pc"
# shellcheck disable=SC2046 # the flags are a list
cc $(pc --cflags --libs) -o "$tmp/pc.so" "$top/functions/echo.c"
is_function "$tmp/pc.so"

step "a function linked against the installed greet layer"
layer="$root/usr/share/tutti/layers/greet"
# shellcheck disable=SC2046
cc $(pc --cflags --libs) -I"$top/functions" -I"$layer/include" -o "$tmp/greet.so" \
  "$top/functions/greet_example.c" -L"$layer/lib" -lgreet
is_function "$tmp/greet.so"
readelf -d "$tmp/greet.so" | grep -q 'NEEDED.*libgreet.so.1' || fail "greet.so does not need libgreet.so.1"
readelf -d "$tmp/greet.so" | grep -qE 'RPATH|RUNPATH' && fail "greet.so carries an rpath"

step "the installed tutti finds its own tutti.h"
"$root/usr/bin/tutti" build --cflags | grep -q -- "-I$root/usr/include" ||
  fail "installed tutti: $("$root/usr/bin/tutti" build --cflags 2>&1)"
"$root/usr/bin/tutti" build "$top/functions/echo.c" -o "$tmp/installed.so"
is_function "$tmp/installed.so"

step "the installed tutti runs examples/daily-todos (HTTP fixture, S3 from lib/tutti/)"
ldd "$root/usr/bin/tutti" | grep -qE 'libcurl|libs3|libxml2' && fail "tutti links $(ldd "$root/usr/bin/tutti" | grep -oE 'lib(curl|s3|xml2)[^ ]*' | tr '\n' ' ')"
B="$top/$BUILD"
exec 3< <(exec "$B/fixtures/http_fixture" 0 </dev/null)
fixture=$!
read -r port <&3
(
  export TUTTI_HOME="$tmp/home"
  unset TUTTI_INTEGRATIONS
  it="$root/usr/bin/tutti"
  "$it" layer publish curl "$root/usr/share/tutti/layers/curl" >/dev/null
  "$it" layer publish jansson "$root/usr/share/tutti/layers/jansson" >/dev/null
  "$it" function create fetch_todos --code "$B/examples/fetch_todos.so" --layer curl --layer jansson \
    --network --timeout 10 >/dev/null
  "$it" bucket create todos >/dev/null
  out=$("$it" run "$top/examples/daily-todos/daily-todos.asl.json" --wait-scale 0 \
    --input "{\"url\":\"http://127.0.0.1:$port/todos\"}") || fail "installed run: $out"
  [ "$(jq -r .items <<<"$out")" = 200 ] || fail "installed run: $out"
  "$it" bucket get todos "$(jq -r .key <<<"$out")" | jq -e 'length == 200' >/dev/null ||
    fail "installed tutti bucket get"
) || { kill "$fixture"; exit 1; }
kill "$fixture"; wait "$fixture" 2>/dev/null || true

echo "build_install: all passed"
