#!/usr/bin/env bash
# Runs each Check unit-test binary given; prints a summary; exit 1 if any failed.
set -uo pipefail
export TUTTI_TOP=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-build}
fail=0
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  if [ $rc -eq 0 ]; then
    printf '  UNIT    %-50s %s\n' "$t" "$(printf '%s\n' "$out" | grep -E '^[0-9]+%' | tail -1)"
  elif [ $rc -eq 77 ]; then
    printf '  UNIT    %-50s SKIP (%s)\n' "$t" "$(printf '%s\n' "$out" | tail -1)"
  else
    printf '%s\n' "$out"
    printf '  UNIT    %-50s FAILED\n' "$t"
    fail=1
  fi
done
exit $fail
