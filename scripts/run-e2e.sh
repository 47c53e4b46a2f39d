#!/usr/bin/env bash
# Runs each end-to-end script given, each with a fresh $TUTTI_HOME and
# BUILD/TUTTI set; prints PASS, SKIP or FAIL per script and a summary;
# exit 1 if any failed.
#
# A script that cannot run here (a missing tool or server) prints
# "SKIP: reason" and exits 77: that is a SKIP with the reason, never a
# PASS. Any other non-zero exit is a FAIL.
set -uo pipefail
BUILD=${BUILD:-build}
export TUTTI_TOP=$(cd "$(dirname "$0")/.." && pwd)
export BUILD TUTTI="$TUTTI_TOP/$BUILD/bin/tutti"
fail=0 npass=0 nskip=0 nfail=0
for t in "$@"; do
  home=$(mktemp -d /tmp/tutti-e2e.XXXXXX)
  log="$home.log"
  start=$(date +%s)
  rc=0
  TUTTI_HOME="$home" bash "$t" >"$log" 2>&1 || rc=$?
  secs=$(( $(date +%s) - start ))
  if [ $rc -eq 0 ]; then
    printf '  E2E     %-50s PASS (%ss)\n' "$t" "$secs"
    npass=$((npass + 1))
    rm -rf "$home" "$log"
  elif [ $rc -eq 77 ]; then
    why=$(sed -n 's/^SKIP:[[:space:]]*//p' "$log" | tail -1)
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
