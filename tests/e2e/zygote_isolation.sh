#!/usr/bin/env bash
# End to end: an environment inherits nothing of tutti (the zygote is a
# separate, libc-only program; the function's configuration reaches the
# environment over its channel only).
#   - json_example.so (links libjansson.so.4) fails to load without the
#     jansson layer and works with it;
#   - such a function does not register without the layer (the load check
#     fails), and does with it; the libjansson.so.4 it runs with is the
#     layer's (/opt/lib), not one of tutti's;
#   - tutti's libraries do not resolve in the function's link namespace
#     (json_loads, EVP_sha256, seccomp_init, cap_init), the SDK does;
#   - tutti-zygote links glibc's core only (libc, libm);
#   - a function run after another in the same tutti process (two Tasks of
#     one `tutti run`) cannot find the first one's variable anywhere in
#     its memory (hostile/mem_scan.so scans its stack, heap, objects);
#   - a Task given only {"pub":1} cannot find the execution input's other
#     fields in its memory;
#   - the scanner does find a secret that is really there (its own
#     variable), so a "not found" means something.
# Needs $TUTTI, $TUTTI_TOP, $BUILD, a fresh $TUTTI_HOME, root and jq.
. "$(dirname "$0")/lib.sh"
e2e_init iso
B="$TUTTI_TOP/$BUILD"
H="$B/hostile"
# enc SECRET: the secret XOR 0x5a in hex (mem_scan's needle: the secret
# itself never reaches the scanning function).
enc() { printf '%s' "$1" | od -An -v -tu1 | tr -s ' ' '\n' | sed '/^$/d' |
	while read -r b; do printf '%02x' $((b ^ 0x5a)); done; }

# --- libraries ------------------------------------------------------------
out=$("$TUTTI" invoke "$B/functions/json_example.so" --payload '{"a":1}' 2>&1) && rc=0 || rc=$?
if [ "$rc" = 1 ] && grep -q '"Runtime.ImportModuleError"' <<<"$out" && grep -q 'libjansson.so.4' <<<"$out" &&
	grep -qF "come from the function's layers" <<<"$out"; then
	check_pass no_jansson_without_layer "$out"
else
	check_fail no_jansson_without_layer "exit $rc: $out"
fi
out=$("$TUTTI" invoke "$B/functions/json_example.so" --payload '{"a":1}' --layer-dir "$B/layers/jansson" 2>&1) &&
	rc=0 || rc=$?
[ "$rc" = 0 ] && [ "$out" = '{"keys":1,"type":"object"}' ] && check_pass jansson_with_layer "$out" ||
	check_fail jansson_with_layer "exit $rc: $out"
out=$("$TUTTI" function create jfn --code "$B/functions/json_example.so" 2>&1) && rc=0 || rc=$?
if [ "$rc" = 2 ] && grep -q 'Runtime.ImportModuleError.*libjansson.so.4' <<<"$out"; then
	check_pass no_register_without_layer "exit 2: $out"
else
	check_fail no_register_without_layer "exit $rc: $out"
fi
"$TUTTI" layer publish jansson "$B/layers/jansson" >/dev/null
out=$("$TUTTI" function create jfn --code "$B/functions/json_example.so" --layer jansson 2>&1 >/dev/null &&
	"$TUTTI" invoke jfn --payload '[1,2]' 2>&1) || true
[ "$out" = '{"keys":2,"type":"array"}' ] && check_pass register_with_layer "$out" || check_fail register_with_layer "$out"
# Which libjansson.so.4 a function linked with -ljansson gets.
cat >"$W/which.c" <<'EOF2'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <jansson.h>
#include <tutti.h>
int handler(tt_ctx *ctx, const char *ev, size_t n)
{
	Dl_info info;
	char out[600];
	json_t *v = json_loadb(ev, n, 0, NULL);

	json_decref(v);
	if (!dladdr((void *)json_loads, &info) || !info.dli_fname)
		return tt_raise(ctx, "NoInfo", "dladdr failed");
	snprintf(out, sizeof out, "\"%s\"", info.dli_fname);
	return tt_return(ctx, out, 0);
}
EOF2
if cc -shared -fPIC -I"$TUTTI_TOP/include" -I"$B/layers/jansson/include" -o "$W/which.so" "$W/which.c" \
	-L"$B/layers/jansson/lib" -ljansson 2>"$W/cc.err"; then
	out=$("$TUTTI" invoke "$W/which.so" --layer-dir "$B/layers/jansson" 2>&1) || true
	[ "$out" = '"/opt/lib/libjansson.so.4"' ] && check_pass layer_library_not_shadowed "$out" ||
		check_fail layer_library_not_shadowed "$out (want the layer's /opt/lib/libjansson.so.4)"
else
	check_fail layer_library_not_shadowed "cannot build the probe: $(cat "$W/cc.err")"
fi
out=$("$TUTTI" invoke "$H/host_syms.so" 2>&1) || true
want='{"json_loads":false,"EVP_sha256":false,"seccomp_init":false,"cap_init":false,"tt_return":true}'
[ "$out" = "$want" ] && check_pass no_host_symbols "$out" || check_fail no_host_symbols "$out (want $want)"
# (sanitizer builds add their runtimes)
needed=$(readelf -d "$B/lib/tutti/tutti-zygote" | awk '/NEEDED/ { print $NF }' |
	grep -v -e asan -e ubsan -e 'stdc++' -e gcc_s | sort | tr '\n' ' ')
[ "$needed" = "[libc.so.6] [libm.so.6] " ] && check_pass zygote_glibc_only "$needed" || check_fail zygote_glibc_only "NEEDED: $needed"

# --- memory ----------------------------------------------------------------
secret="DBPW-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
e=$(enc "$secret")
# The scanner finds what is there: its own variable.
out=$("$TUTTI" invoke "$H/mem_scan.so" --payload "{\"enc\":\"$e\"}" --env "MINE=$secret" --timeout 60 2>&1) || true
[ "$(jq -r .found <<<"$out" 2>/dev/null)" = true ] && check_pass scanner_finds_own_variable "$out" ||
	check_fail scanner_finds_own_variable "$out"

# Two Tasks in one tutti run: the first function has the secret in its
# variables, the second scans for it.
"$TUTTI" function create holder --code "$B/functions/echo.so" --env "DB_PASSWORD=$secret" >/dev/null
"$TUTTI" function create scanner --code "$H/mem_scan.so" --timeout 60 >/dev/null
printf '%s' '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"holder","Next":"B"},
  "B":{"Type":"Task","Resource":"scanner","End":true}}}' >"$W/two.json"
out=$("$TUTTI" run "$W/two.json" --input "{\"enc\":\"$e\"}" 2>&1) || true
if [ "$(jq -r .found <<<"$out" 2>/dev/null)" = false ] && [ "$(jq -r .bytes <<<"$out")" -gt 1000000 ]; then
	check_pass no_other_functions_variable "$out"
else
	check_fail no_other_functions_variable "$out"
fi

# A Task given {"pub":1} (and the needle) must not find the input's secret.
printf '%s' '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"scanner",
  "Parameters":{"pub.$":"$.pub","enc.$":"$.enc"},"End":true}}}' >"$W/one.json"
isecret="INPUT-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
out=$("$TUTTI" run "$W/one.json" --input "{\"pub\":1,\"private\":\"$isecret\",\"enc\":\"$(enc "$isecret")\"}" 2>&1) || true
if [ "$(jq -r .found <<<"$out" 2>/dev/null)" = false ] && [ "$(jq -r .bytes <<<"$out")" -gt 1000000 ]; then
	check_pass no_execution_input "$out"
else
	check_fail no_execution_input "$out"
fi

checks_done
