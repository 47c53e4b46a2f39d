#!/usr/bin/env bash
# scripts/run-e2e.sh itself: a script that exits 77 after "SKIP: reason" is
# reported as SKIP with that reason, never PASS, and does not fail the run;
# exit 0 is PASS; anything else is FAIL and fails the run.
. "$(dirname "$0")/lib.sh"
e2e_init runner

printf 'echo "SKIP: no frobnicator here"; exit 77\n' >"$W/skips.sh"
printf 'echo fine\n' >"$W/passes.sh"
printf 'echo "SKIP: not really"; exit 3\n' >"$W/fails.sh"
printf 'exit 77\n' >"$W/silent.sh"

rc=0; out=$("$TUTTI_TOP/scripts/run-e2e.sh" "$W/skips.sh" "$W/passes.sh" "$W/silent.sh" 2>&1) || rc=$?
echo "$out"
[ $rc = 0 ] || fail "skips failed the run (exit $rc)"
grep -q "skips.sh  *SKIP (no frobnicator here)$" <<<"$out" || fail "no SKIP line with the reason"
grep -q "skips.sh.*PASS" <<<"$out" && fail "a skip reported as PASS"
grep -q "passes.sh  *PASS" <<<"$out" || fail "no PASS line"
grep -q "silent.sh  *SKIP (no reason given" <<<"$out" || fail "a skip without a reason"
grep -q "1 passed, 2 skipped, 0 failed" <<<"$out" || fail "summary"

rc=0; out=$("$TUTTI_TOP/scripts/run-e2e.sh" "$W/skips.sh" "$W/fails.sh" 2>&1) || rc=$?
echo "$out"
[ $rc = 1 ] || fail "a failing script did not fail the run (exit $rc)"
grep -q "fails.sh  *FAIL (exit 3" <<<"$out" || fail "no FAIL line"
# the failed script's kept log and home
log=$(sed -n 's/.*fails.sh.*log: \(.*\))$/\1/p' <<<"$out")
[ -n "$log" ] && rm -rf "$log" "${log%.log}"
echo "e2e_runner: all checks passed"
