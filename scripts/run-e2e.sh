#!/usr/bin/env bash
# Runs each end-to-end script given, each with a fresh $TUTTI_HOME and
# BUILD/TUTTI set; prints PASS/FAIL/SKIP per script and a summary; exit 1
# if any failed.
# A script exits 77 when it (or, after its other checks passed, a part of
# it) cannot run here; its last "SKIP: reason" line is shown. A skip is
# never counted as a pass. Any other non-zero exit is a FAIL, and so is a
# script still running after $TUTTI_E2E_TIMEOUT seconds (default 600): a
# hang fails its script instead of stalling the whole run.
set -uo pipefail
BUILD=${BUILD:-build}
export TUTTI_TOP=$(cd "$(dirname "$0")/.." && pwd)
export BUILD TUTTI="$TUTTI_TOP/$BUILD/bin/tutti"
fail=0 npass=0 nskip=0 nfail=0
for t in "$@"; do
  home=$(mktemp -d /tmp/tutti-e2e.XXXXXX)
  chmod 700 "$home"
  log="$home.log"
  start=$(date +%s)
  TUTTI_HOME="$home" timeout --kill-after=10 "${TUTTI_E2E_TIMEOUT:-600}" bash "$t" >"$log" 2>&1
  rc=$?
  [ $rc -eq 124 ] || [ $rc -eq 137 ] && echo "run-e2e: $t timed out after ${TUTTI_E2E_TIMEOUT:-600} s" >>"$log"
  secs=$(( $(date +%s) - start ))
  if [ $rc -eq 0 ]; then
    printf '  E2E     %-50s PASS (%ss)\n' "$t" "$secs"
    npass=$((npass + 1))
    rm -rf "$home" "$log"
  elif [ $rc -eq 77 ]; then
    why=$(grep '^SKIP' "$log" | tail -1 | sed 's/^SKIP:* *//')
    [ -n "$why" ] || why="no reason given: $(tail -1 "$log")"
    printf '  E2E     %-50s SKIP (%s)\n' "$t" "$why"
    nskip=$((nskip + 1))
    rm -rf "$home" "$log"
  else
    tail -40 "$log"
    printf '  E2E     %-50s FAIL (exit %s, log: %s)\n' "$t" "$rc" "$log"
    nfail=$((nfail + 1))
    fail=1
  fi
done
printf '  E2E     %d passed, %d skipped, %d failed\n' "$npass" "$nskip" "$nfail"
exit $fail
