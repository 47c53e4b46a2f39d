#!/usr/bin/env bash
# tutti validate: exit 0 and silence for valid definitions; exit 2 and one
# "PATH: message" line per problem on stdout for invalid ones; exit 2 and a
# message on stderr for usage errors and unreadable files.
# Needs $TUTTI (the CLI) and $TUTTI_TOP (the source tree).
. "$(dirname "$0")/lib.sh"
set +e
e2e_init validate
data="$TUTTI_TOP/tests/data/asl"
tmp=$W
fail=0
n=0

bad() { echo "FAIL: $*"; fail=1; }

# expect_valid FILE
expect_valid() {
	local out rc
	out=$("$TUTTI" validate "$1" 2>"$tmp/err"); rc=$?
	n=$((n + 1))
	[ "$rc" -eq 0 ] || bad "$1: exit $rc, want 0: $out $(cat "$tmp/err")"
	[ -z "$out" ] || bad "$1: printed on a valid definition: $out"
}

for f in "$data"/valid/*.json; do expect_valid "$f"; done
for f in "$TUTTI_TOP"/tests/data/conformance/*/definition.asl.json "$TUTTI_TOP"/bench/machines/*.asl.json; do
	expect_valid "$f"
done

for f in "$data"/invalid/*.json; do
	n=$((n + 1))
	"$TUTTI" validate "$f" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ "$rc" -eq 2 ] || bad "$f: exit $rc, want 2"
	[ -s "$tmp/err" ] && bad "$f: wrote to stderr: $(cat "$tmp/err")"
	diff -u "${f%.json}.expected" "$tmp/out" >"$tmp/diff" || bad "$f: output differs:
$(cat "$tmp/diff")"
done

# Usage errors and unreadable files: exit 2, stderr, nothing on stdout.
check_usage() {
	local what=$1; shift
	n=$((n + 1))
	"$TUTTI" validate "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ "$rc" -eq 2 ] || bad "$what: exit $rc, want 2"
	[ -s "$tmp/out" ] && bad "$what: wrote to stdout: $(cat "$tmp/out")"
	[ -s "$tmp/err" ] || bad "$what: no message on stderr"
}
check_usage "no argument"
check_usage "two arguments" "$data/valid/minimal-pass.json" "$data/valid/minimal-pass.json"
check_usage "missing file" "$tmp/does-not-exist.json"
check_usage "a directory" "$tmp"

# A definition over AWS's 1 MiB limit is a problem with the definition.
n=$((n + 1))
head -c 1048577 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
out=$("$TUTTI" validate "$tmp/big.json"); rc=$?
[ "$rc" -eq 2 ] || bad "big: exit $rc, want 2"
[ "$out" = '$: definition is larger than 1048576 bytes' ] || bad "big: got: $out"

# Binary garbage: one JSON error line, no crash.
n=$((n + 1))
head -c 4096 /dev/urandom >"$tmp/garbage.json"
out=$("$TUTTI" validate "$tmp/garbage.json"); rc=$?
[ "$rc" -eq 2 ] || bad "garbage: exit $rc, want 2"
case "$out" in '$: invalid JSON: '*) ;; *) bad "garbage: got: $out" ;; esac

# More problems than are shown: the last line counts the rest.
n=$((n + 1))
{
	printf '{"StartAt": "S0", "States": {'
	for i in $(seq 0 149); do printf '"S%d": {"Type": "Pass", "Next": "Nope"},' "$i"; done
	printf '"Z": {"Type": "Succeed"}}}'
} >"$tmp/many.json"
"$TUTTI" validate "$tmp/many.json" >"$tmp/out"; rc=$?
[ "$rc" -eq 2 ] || bad "many: exit $rc, want 2"
[ "$(wc -l <"$tmp/out")" -eq 101 ] || bad "many: $(wc -l <"$tmp/out") lines, want 101"
[ "$(tail -1 "$tmp/out")" = '$: 50 more problems not shown' ] || bad "many: last line: $(tail -1 "$tmp/out")"

echo "validate: $n checks"
exit $fail
