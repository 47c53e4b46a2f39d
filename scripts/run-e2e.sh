#!/usr/bin/env bash
# Runs each end-to-end script given, each with a fresh $TUTTI_HOME and
# BUILD/TUTTI set; prints PASS/FAIL per script; exit 1 if any failed.
set -uo pipefail
BUILD=${BUILD:-build}
export TUTTI_TOP=$(cd "$(dirname "$0")/.." && pwd)
export BUILD TUTTI="$TUTTI_TOP/$BUILD/bin/tutti"
fail=0
for t in "$@"; do
  home=$(mktemp -d /tmp/tutti-e2e.XXXXXX)
  log="$home.log"
  start=$(date +%s)
  if TUTTI_HOME="$home" bash "$t" >"$log" 2>&1; then
    printf '  E2E     %-50s PASS (%ss)\n' "$t" $(( $(date +%s) - start ))
    rm -rf "$home" "$log"
  else
    tail -40 "$log"
    printf '  E2E     %-50s FAIL (log: %s)\n' "$t" "$log"
    fail=1
  fi
done
exit $fail
