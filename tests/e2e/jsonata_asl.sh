#!/usr/bin/env bash
# End-to-end: JSONata state machines (tests/data/asl/jsonata/CASE/).
#   - a case with expected.json runs through `tutti run` (the example
#     functions bound by --function) and its output must equal expected.json,
#     or for {"error", "cause"}: the error, and the cause unless the error is
#     one of States.* (whose causes are implementation text);
#   - a case with expected-problems.txt must fail `tutti validate` with exit
#     2 and print exactly those problem lines (field path, message).
# Comparison of outputs is semantic (key order, 1 vs 1.0 ignored).
. "$(dirname "$0")/lib.sh"
e2e_init jsonata-asl
need jq
CASES="$TUTTI_TOP/tests/data/asl/jsonata"
for f in echo add fail flaky sleep; do
  [ -f "$FN/$f.so" ] || fail "$FN/$f.so is missing (run make)"
done
fns=()
for f in echo add fail flaky sleep; do fns+=(--function "$f=$FN/$f.so"); done

pass=0 failed=0
for dir in "$CASES"/*/; do
  name=$(basename "$dir")
  if [ -f "$dir/expected-problems.txt" ]; then
    rc=0
    "$TUTTI" validate "$dir/definition.asl.json" >"$W/out" 2>"$W/err" </dev/null || rc=$?
    cat "$W/out" "$W/err" | grep '^\$' >"$W/got" || true
    if [ "$rc" -eq 2 ] && diff -u "$dir/expected-problems.txt" "$W/got" >"$W/diff"; then
      pass=$((pass + 1))
    else
      failed=$((failed + 1))
      echo "FAIL $name: validate exit $rc"; cat "$W/diff" 2>/dev/null | head -20
    fi
    continue
  fi
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
    echo "FAIL $name: got $(head -c 300 "$W/out") $(head -c 300 "$W/err")"
  fi
done
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$pass" -gt 0 ]
