#!/usr/bin/env bash
# JSONata: tutti's engine beside the JavaScript reference (the npm package
# jsonata 2.2.2 on Node), the same expressions and bindings in the same run
# (bench_jsonata.c holds the set: typical Step Functions expressions over
# $states.input with 1,000 items; see its header):
#   jsonata.eval_per_s        the C engine, evaluations per second over the set
#   jsonata.js_eval_per_s     the reference on Node, the same set
#   jsonata.vs_js_ratio       the first over the second
#   jsonata.compile_us        the C engine's compile time, median of the set
#   jsonata.vs_js_ratio_geomean   the geometric mean of the per-expression
#                             ratios (the set's figure weighs the slowest most)
# and the same per expression (jsonata.eval_per_s.NAME, ...). The reference's
# results are checked against the C engine's first: a wrong answer's speed is
# not printed. SKIP lines when node or the jsonata package is missing
# ($JSONATA_PATH, default /opt/jsonata/node_modules/jsonata: npm install
# --prefix /opt/jsonata jsonata@2.2.2).
# $TUTTI_BENCH_JSONATA_SECONDS: time per expression, side and pass (default
# 0.5), cut in 5 slices on both sides: a rate is its best slice's (the least
# disturbed by the other load of a shared machine; the reference's JIT has
# warmed up by the last slices). Two passes, the sides in turn (reference,
# C, reference, C): each side's rate per expression is its better pass's.
set -uo pipefail
TOP=${TUTTI_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-build}
BIN=$TOP/$BUILD/bench/bench_jsonata
JSONATA=${JSONATA_PATH:-/opt/jsonata/node_modules/jsonata}
SECS=${TUTTI_BENCH_JSONATA_SECONDS:-0.5}
JS_NAMES="jsonata.js_eval_per_s, jsonata.vs_js_ratio"

if [ ! -x "$BIN" ]; then
  echo "bench_jsonata.sh: $BIN is not built (make $BUILD/bench/bench_jsonata)" >&2
  exit 1
fi
D=$(mktemp -d "${TMPDIR:-/tmp}/tutti-bench-jsonata.XXXXXX")
trap 'rm -rf "$D"' EXIT
"$BIN" --emit >"$D/set.json" || exit 1

# the reference's side, as a script run once a pass
cat >"$D/ref.js" <<'EOF'
const fs = require('fs');
const [setFile, expectFile, secs, lib] = process.argv.slice(2);
const jsonata = require(lib);
const set = JSON.parse(fs.readFileSync(setFile, 'utf8'));
const version = require(lib + '/package.json').version;
(async () => {
  const expect = {};
  let total = 0;
  for (const { name, expr } of set.exprs) {
    const x = jsonata(expr);
    expect[name] = await x.evaluate(undefined, set.bindings);
    // the best of 5 slices, as the C side does
    let rate = 0;
    for (let sl = 0; sl < 5; sl++) {
      let n = 0;
      const t0 = process.hrtime.bigint();
      let t;
      do {
        for (let r = 0; r < 50; r++) await x.evaluate(undefined, set.bindings);
        n += 50;
        t = Number(process.hrtime.bigint() - t0) / 1e9;
      } while (t < Number(secs) / 5);
      rate = Math.max(rate, n / t);
    }
    total += 1 / rate;
    console.log(`jsonata.js_eval_per_s.${name}: ${rate.toFixed(0)} evals/s`);
  }
  fs.writeFileSync(expectFile, JSON.stringify(expect));
  console.log(`jsonata.js_eval_per_s: ${(set.exprs.length / total).toFixed(0)} evals/s (jsonata ${version}, node ${process.version})`);
})().catch((e) => { console.error(`bench_jsonata.sh: the reference failed: ${e.message || e.code}`); process.exit(1); });
EOF

# keeps, per expression, the better of the passes' rates and recomputes the
# set's figure from them (other lines: the first pass's)
merge() {
  awk -v P="$1" '
    index($1, P ".") == 1 {
      k = $1; if (!(k in best) || $2 + 0 > best[k]) best[k] = $2 + 0
      if (!(k in seen)) { seen[k] = 1; ord[++n] = k }
      next
    }
    $1 == P ":" { if (setline == "") setline = $0; next }
    FILENAME == ARGV[1] { other[++no] = $0 }
    END {
      for (i = 1; i <= n; i++) { printf "%s %.0f evals/s\n", ord[i], best[ord[i]]; tot += 1 / best[ord[i]] }
      if (setline != "" && n) {
        rest = setline; sub(/^[^ ]+ [0-9.]+ evals\/s/, "", rest)
        printf "%s: %.0f evals/s%s\n", P, n / tot, rest
      }
      for (i = 1; i <= no; i++) print other[i]
    }' "$2" "$3"
}

havejs=
if ! command -v node >/dev/null; then
  echo "SKIP: $JS_NAMES: node is not installed"
elif [ ! -f "$JSONATA/package.json" ]; then
  echo "SKIP: $JS_NAMES: the jsonata package is not at $JSONATA (npm install --prefix /opt/jsonata jsonata@2.2.2)"
else
  havejs=1
fi

# two passes, each side in turn (reference, C, reference, C): the machine's
# load changes over the run, and each side keeps its better pass
rc=0
js=
for pass in 1 2; do
  if [ -n "$havejs" ]; then
    if node "$D/ref.js" "$D/set.json" "$D/expect.json" "$SECS" "$JSONATA" >"$D/js$pass.txt"; then
      js=$D/js.txt
    elif [ "$pass" = 1 ]; then
      echo "SKIP: $JS_NAMES: the reference failed on the set"
      havejs=
    else
      cp "$D/js1.txt" "$D/js2.txt"
    fi
  fi
  if [ -n "$havejs" ]; then
    "$BIN" --seconds "$SECS" --expect "$D/expect.json" >"$D/c$pass.txt" || rc=1
  else
    "$BIN" --seconds "$SECS" >"$D/c$pass.txt" || rc=1
  fi
done
merge jsonata.eval_per_s "$D/c1.txt" "$D/c2.txt" >"$D/c.txt"
cat "$D/c.txt"
[ -n "$havejs" ] || exit $rc
merge jsonata.js_eval_per_s "$D/js1.txt" "$D/js2.txt" >"$js"
cat "$js"
# the ratios: per expression, then over the set
awk '
  FNR == NR { if ($1 ~ /^jsonata\.eval_per_s/) { k = $1; sub(/^jsonata\.eval_per_s/, "", k); c[k] = $2 } next }
  $1 ~ /^jsonata\.js_eval_per_s/ { k = $1; sub(/^jsonata\.js_eval_per_s/, "", k); j[k] = $2; order[++n] = k }
  END {
    lsum = 0; m = 0
    for (i = 1; i <= n; i++) {
      k = order[i]; if (k == ":") continue
      if ((k in c) && j[k] > 0 && c[k] > 0) {
        printf "jsonata.vs_js_ratio%s %.1f x\n", k, c[k] / j[k]
        lsum += log(c[k] / j[k]); m++
      }
    }
    if (m > 0) printf "jsonata.vs_js_ratio_geomean: %.1f x (geometric mean of %d expressions)\n", exp(lsum / m), m
    if ((":" in c) && j[":"] > 0) printf "jsonata.vs_js_ratio: %.1f x\n", c[":"] / j[":"]
    else print "SKIP: jsonata.vs_js_ratio: the C engine has no figure for the whole set (see above)"
  }' "$D/c.txt" "$js"
exit $rc
