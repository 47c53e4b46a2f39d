#!/usr/bin/env bash
# Whole-process benchmark of `tutti run` on the shared benchmark machines
# ($TUTTI_TOP/../shared/bench/machines) through the shared driver
# bench-cmd.sh: checks each output against the expected one, then times
# RUNS runs (median). Prints the driver's table, then `name: value unit`
# lines:  asl_cmd.<machine>.median_ms  and  asl_cmd.<machine>.states_per_s
# Usage: bench/bench_asl_cmd.sh [-n RUNS]   (needs $TUTTI or build/bin/tutti, jq)
set -uo pipefail
TOP=${TUTTI_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
TUTTI=${TUTTI:-$TOP/${BUILD:-build}/bin/tutti}
DRIVER="$TOP/../shared/bench/bench-cmd.sh"
RUNS=10
if [ "${1:-}" = "-n" ]; then RUNS=$2; fi
if [ ! -x "$DRIVER" ]; then
  echo "asl_cmd: skipped (no $DRIVER)"
  exit 0
fi
W=$(mktemp -d /tmp/tutti-bench-cmd.XXXXXX)
trap 'rm -rf "$W"' EXIT
export TUTTI_HOME="$W/home"
# `tutti run DEF INPUT` directly: no shell in between to time.
"$DRIVER" -n "$RUNS" "$TUTTI" run | tee "$W/table"
rc=0
while IFS='|' read -r _ name tr out ms rate _; do
  name=$(echo "$name" | tr -d ' '); out=$(echo "$out" | tr -d ' ')
  case "$name" in ''|machine|---*) continue ;; esac
  echo "asl_cmd.$name.median_ms: $(echo "$ms" | tr -d ' ') ms"
  echo "asl_cmd.$name.states_per_s: $(echo "$rate" | tr -d ' ') states/s"
  [ "$out" = same ] || { echo "asl_cmd.$name: output DIFFERENT from expected" >&2; rc=1; }
done <"$W/table"
exit $rc
