#!/usr/bin/env bash
# End-to-end: every ASL conformance case in tests/data/conformance/CASE/
# (JSONPath machines) and tests/data/conformance-jsonata/CASE/ (the same
# cases as JSONata machines, and a few JSONata-only ones; its README maps
# them) (definition.asl.json, input.json, expected.json) through `tutti run`, with
# the example functions bound by --function. expected.json is the output, or
# {"error", "cause"} for a failed execution: "error" must match, and "cause"
# too unless the error is one of States.* (whose causes are implementation
# text). Comparison is semantic (key order, 1 vs 1.0 ignored).
. "$(dirname "$0")/lib.sh"
e2e_init conf
need jq
for f in echo add fail flaky sleep; do
  [ -f "$FN/$f.so" ] || fail "$FN/$f.so is missing (run make)"
done
fns=()
for f in echo add fail flaky sleep; do fns+=(--function "$f=$FN/$f.so"); done

total_failed=0
for set in conformance conformance-jsonata; do
  pass=0 failed=0
  for dir in "$TUTTI_TOP/tests/data/$set"/*/; do
    name=$(basename "$dir")
    timeout 30 "$TUTTI" run "$dir/definition.asl.json" --input @"$dir/input.json" "${fns[@]}" \
      >"$W/out" 2>"$W/err" </dev/null || true
    if jq -e -n --slurpfile got "$W/out" --slurpfile want "$dir/expected.json" '
        ($got | length) == 1 and
        (if ($want[0] | type) == "object" and ($want[0] | has("error")) and ($want[0] | keys | length) <= 2
         then ($got[0] | type) == "object" and $got[0].error == $want[0].error and
              (($want[0].error | startswith("States.")) or $got[0].cause == $want[0].cause)
         else $got[0] == $want[0] end)' >/dev/null 2>&1; then
      pass=$((pass + 1))
    else
      failed=$((failed + 1))
      echo "FAIL $set/$name: got $(head -c 300 "$W/out") $(head -c 300 "$W/err")"
    fi
  done
  echo "$set: $pass passed, $failed failed"
  [ "$pass" -gt 0 ] || failed=$((failed + 1))
  total_failed=$((total_failed + failed))
done
[ "$total_failed" -eq 0 ]
