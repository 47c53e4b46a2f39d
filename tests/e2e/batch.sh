#!/usr/bin/env bash
# tutti batch: 10,000 items through a real function (successes, handled
# errors, crashes, timeouts, sandbox violations, non-JSON lines), with exact
# counts and every line accounted for once; --ordered; --resume after
# kill -9; empty input; stdin/stdout pipes; code that cannot load.
. "$(dirname "$0")/lib.sh"
e2e_init batch
need jq
MIX="$TUTTI_TOP/$BUILD/hostile/batch_mix.so"
[ -f "$MIX" ] || fail "$MIX is not built"

step "10,000 items: 9,930 ok, 30 raise, 10 crash, 10 hang, 10 violate, 10 not JSON"
for i in $(seq 1 10000); do
  if   [ $((i % 1000)) = 7 ]; then echo "{\"do\":\"hang\",\"i\":$i}"
  elif [ $((i % 1000)) = 9 ]; then echo "{\"do\":\"violate\",\"i\":$i}"
  elif [ $((i % 1000)) = 11 ]; then echo "not json $i"
  elif [ $((i % 1000)) = 13 ]; then echo "{\"do\":\"crash\",\"i\":$i}"
  elif [ $((i % 1000)) = 17 ] || [ $((i % 1000)) = 19 ] || [ $((i % 1000)) = 23 ]; then echo "{\"do\":\"raise\",\"i\":$i}"
  else echo "{\"do\":\"ok\",\"i\":$i}"; fi
done > "$W/in.jsonl"
run 1 "$TUTTI" batch "$MIX" --input "$W/in.jsonl" -o "$W/res.jsonl" --concurrency 2 --timeout 1 \
  --summary "$W/sum.json"
[ "$(wc -l < "$W/res.jsonl")" = 10000 ] || fail "$(wc -l < "$W/res.jsonl") output lines, expected 10000"
is "$(jq -r .line "$W/res.jsonl" | sort -n | uniq | wc -l)" 10000 "distinct lines"
is "$(jq -r .line "$W/res.jsonl" | sort -n | head -1),$(jq -r .line "$W/res.jsonl" | sort -n | tail -1)" "1,10000" "line range"
is "$(jq -c 'select(.result) | .line == .result.i' "$W/res.jsonl" | sort | uniq -c | awk '{print $1 $2}')" "9930true" "results match their lines"
is "$(jq -r 'select(.error) | .error.errorType' "$W/res.jsonl" | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')" \
  "Batch.InvalidJSON=10 MixError=30 Runtime.ExitError=10 Runtime.SandboxViolation=10 Sandbox.Timedout=10 " "error counts"
is "$(jq -r 'select(.error.errorType == "Batch.InvalidJSON") | .line' "$W/res.jsonl" | sort -n | head -2 | tr '\n' ,)" "11,1011," "non-JSON lines by number"
is "$(jq -r 'select(.error.errorType == "Batch.InvalidJSON") | .attempts' "$W/res.jsonl" | sort -u)" 0 "non-JSON attempts"
jq -e '.items == 10000 and .succeeded == 9930 and .failed == 70 and .errors.MixError == 30 and
  .errors["Sandbox.Timedout"] == 10 and .duration_ms.p99 > 0 and .items_per_s > 0' "$W/sum.json" >/dev/null ||
  fail "summary: $(cat "$W/sum.json")"
grep -q '10000 items, 9930 succeeded, 70 failed' "$W/err" || fail "stderr summary: $(cat "$W/err")"
ok "10,000 items, exact counts"

step "--retries: a handled error is retried, a violation is not"
printf '{"do":"raise"}\n{"do":"violate"}\n{"do":"ok"}\n' > "$W/r.jsonl"
run 1 "$TUTTI" batch "$MIX" --input "$W/r.jsonl" --retries 2 --ordered
is "$(jq -c '[.line, .attempts]' "$W/out" | tr -d '\n')" "[1,3][2,1][3,null]" "attempts"
ok "retries"

step "--ordered keeps input order (items of varying duration)"
for i in $(seq 1 300); do echo "{\"do\":\"ok\",\"ms\":$(( (i * 7) % 5 )),\"i\":$i}"; done > "$W/o.jsonl"
run 0 "$TUTTI" batch "$MIX" --input "$W/o.jsonl" --ordered --concurrency 2
is "$(jq -r .line "$W/out" | tr '\n' ' ')" "$(seq 1 300 | tr '\n' ' ')" "ordered lines"
ok "--ordered"

step "stdin and stdout pipes; blank lines are no items"
is "$( (cat "$W/o.jsonl"; echo; echo '  ') | "$TUTTI" batch "$MIX" --concurrency 2 2>/dev/null | jq -s length)" 300 "piped items"
ok "pipes"

step "empty input: exit 0, no output"
run 0 "$TUTTI" batch "$MIX" --input /dev/null
[ ! -s "$W/out" ] || fail "output for an empty input"
grep -q '0 items' "$W/err" || fail "summary: $(cat "$W/err")"
ok "empty input"

step "--resume after kill -9 in the middle (and a torn last line)"
for i in $(seq 1 3000); do echo "{\"do\":\"ok\",\"ms\":2,\"i\":$i}"; done > "$W/k.jsonl"
"$TUTTI" batch "$MIX" --input "$W/k.jsonl" -o "$W/k.out" --concurrency 2 2>/dev/null & pid=$!
E2E_PIDS+=("$pid")
for _ in $(seq 1 100); do [ "$({ wc -l < "$W/k.out"; } 2>/dev/null || echo 0)" -ge 300 ] && break; sleep 0.1; done
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
before=$(wc -l < "$W/k.out")
[ "$before" -gt 0 ] && [ "$before" -lt 3000 ] || fail "killed with $before lines written"
printf '{"line": 2999, "resu' >> "$W/k.out"   # torn: its item must run again
run 0 "$TUTTI" batch "$MIX" --input "$W/k.jsonl" -o "$W/k.out" --resume --concurrency 2
is "$(wc -l < "$W/k.out")" 3000 "lines after --resume"
is "$(jq -r .line "$W/k.out" | sort -n | uniq | wc -l)" 3000 "distinct lines after --resume"
is "$(jq -c 'select(.result) | .line == .result.i' "$W/k.out" | sort -u)" true "results match after --resume"
grep -q "skipped" "$W/err" || fail "no skipped count: $(cat "$W/err")"
ok "--resume: $before lines before the kill, 3000 after"

step "SIGINT to the process group (as Ctrl-C: the sandboxes get it too): exit 130, no failed item written, --resume finishes"
for i in $(seq 1 2000); do echo "{\"do\":\"ok\",\"ms\":3,\"i\":$i}"; done > "$W/s.jsonl"
setsid "$TUTTI" batch "$MIX" --input "$W/s.jsonl" -o "$W/s.out" --concurrency 2 --summary "$W/s.sum" 2>"$W/s.err" & pid=$!
E2E_PIDS+=("$pid")
sleep 1; kill -INT -- -"$pid"; rc=0; wait "$pid" || rc=$?
is "$rc" 130 "exit status after SIGINT"
n=$(wc -l < "$W/s.out")
[ "$n" -gt 0 ] && [ "$n" -lt 2000 ] || fail "SIGINT did not stop it ($n lines)"
is "$(jq -r 'select(.error) | .line' "$W/s.out" | wc -l)" 0 "failed items written after SIGINT"
jq -e '.items == .succeeded' "$W/s.sum" >/dev/null || fail "summary after SIGINT: $(cat "$W/s.sum")"
is "$(tail -c1 "$W/s.out" | od -An -c | tr -d ' ')" '\n' "the output ends with a whole line"
run 0 "$TUTTI" batch "$MIX" --input "$W/s.jsonl" -o "$W/s.out" --resume
is "$(jq -r .line "$W/s.out" | sort -n | uniq | wc -l),$(wc -l < "$W/s.out")" "2000,2000" "after --resume"
ok "SIGINT ($n lines), then --resume"

step "--fail-fast: no new items after the first failure; --output; --resume finishes"
for i in $(seq 500); do
  if [ "$i" = 20 ]; then echo '{"do": "raise"}'; else echo "{\"do\": \"ok\", \"i\": $i}"; fi
done >"$W/ff.jsonl"
run 1 "$TUTTI" batch "$MIX" --input "$W/ff.jsonl" --output "$W/ff.out" --concurrency 1 --fail-fast
grep -q "stopped at the first failure" "$W/err" || fail "--fail-fast message: $(cat "$W/err")"
n=$(wc -l < "$W/ff.out")
[ "$n" -ge 20 ] && [ "$n" -lt 500 ] || fail "--fail-fast wrote $n lines of 500"
is "$(jq -r 'select(.error) | .line' "$W/ff.out")" 20 "the failed line"
run 0 "$TUTTI" batch "$MIX" --input "$W/ff.jsonl" --output "$W/ff.out" --concurrency 2 --resume
is "$(jq -r .line "$W/ff.out" | sort -n | uniq | wc -l),$(wc -l < "$W/ff.out")" "500,500" "after --resume"
ok "--fail-fast stopped at $n of 500 lines; --resume finished the rest"

step "usage errors and code that cannot load: exit 2"
echo "not an ELF" > "$W/bad.so"
refused "cannot run" "$TUTTI" batch "$W/bad.so" --input "$W/r.jsonl"
refused "No such file" "$TUTTI" batch "$W/none.so" --input "$W/r.jsonl"
refused "--concurrency must be" "$TUTTI" batch "$MIX" --concurrency 0
refused "--resume needs --output FILE" "$TUTTI" batch "$MIX" --resume
refused "No such file" "$TUTTI" batch "$MIX" --input "$W/none.jsonl"
ok "refusals"
