#!/usr/bin/env bash
# Runs each end-to-end script given, each with a fresh $TUTTI_HOME and
# BUILD/TUTTI set; prints PASS/FAIL/SKIP per script; exit 1 if any failed.
# A script exits 77 when it (or, after its other checks passed, a part of
# it) cannot run here; its last "SKIP: reason" line is shown. A skip is
# never counted as a pass.
set -uo pipefail
BUILD=${BUILD:-build}
export TUTTI_TOP=$(cd "$(dirname "$0")/.." && pwd)
export BUILD TUTTI="$TUTTI_TOP/$BUILD/bin/tutti"
fail=0
for t in "$@"; do
  home=$(mktemp -d /tmp/tutti-e2e.XXXXXX)
  chmod 700 "$home"
  log="$home.log"
  start=$(date +%s)
  TUTTI_HOME="$home" bash "$t" >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  if [ $rc -eq 0 ]; then
    printf '  E2E     %-50s PASS (%ss)\n' "$t" "$secs"
    rm -rf "$home" "$log"
  elif [ $rc -eq 77 ]; then
    printf '  E2E     %-50s SKIP (%s)\n' "$t" "$(grep '^SKIP' "$log" | tail -1 | sed 's/^SKIP:* *//')"
    rm -rf "$home" "$log"
  else
    tail -40 "$log"
    printf '  E2E     %-50s FAIL (log: %s)\n' "$t" "$log"
    fail=1
  fi
done
exit $fail
