#!/usr/bin/env bash
# tutti batch against what a user would otherwise run: xargs -P2 (and GNU
# parallel -j2 when installed) starting `bwrap --unshare-all --ro-bind / /
# PROGRAM` per item, PROGRAM a small C program doing the same work. Same
# items, both at concurrency 2:
#   batch.items_per_s_noop, batch.items_per_s_1ms        tutti batch (noop.so; sleep.so {"ms":1})
#   batch.xargs_bwrap_items_per_s_noop, ..._1ms          xargs -P2 + bwrap
#   batch.parallel_bwrap_items_per_s_noop, ..._1ms       GNU parallel -j2 + bwrap
#   batch.vs_parallel_bwrap                              noop: tutti / the faster baseline
#   batch.max_rss_kib_N                                  tutti batch's peak RSS for N items (flat)
# Item counts: $TUTTI_BENCH_BATCH_N (default 20000) for tutti, 1000 for the baselines.
set -uo pipefail
TOP=${TUTTI_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-build}
TUTTI=${TUTTI:-$TOP/$BUILD/bin/tutti}
N=${TUTTI_BENCH_BATCH_N:-20000}
NB=1000
D=$(mktemp -d /tmp/tutti-bench-batch.XXXXXX)
trap 'rm -rf "$D"' EXIT
export TUTTI_HOME=$D/home

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
secs() { local t0=$(date +%s.%N); "$@" >/dev/null 2>&1; awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'; }

for i in $(seq 1 "$N"); do echo "{\"i\":$i}"; done > "$D/noop.jsonl"
for i in $(seq 1 "$N"); do echo "{\"ms\":1,\"i\":$i}"; done > "$D/1ms.jsonl"
t=$(secs "$TUTTI" batch "$TOP/$BUILD/functions/noop.so" --input "$D/noop.jsonl" -o /dev/null --concurrency 2 --progress never)
NOOP=$(rate "$N" "$t")
echo "batch.items_per_s_noop: $NOOP items/s"
t=$(secs "$TUTTI" batch "$TOP/$BUILD/functions/sleep.so" --input "$D/1ms.jsonl" -o /dev/null --concurrency 2 --progress never)
echo "batch.items_per_s_1ms: $(rate "$N" "$t") items/s"
for n in 10000 100000; do
  for i in $(seq 1 "$n"); do echo "{\"i\":$i}"; done > "$D/m.jsonl"
  /usr/bin/time -f %M -o "$D/rss" "$TUTTI" batch "$TOP/$BUILD/functions/noop.so" --input "$D/m.jsonl" -o /dev/null \
    --concurrency 2 --progress never 2>/dev/null
  echo "batch.max_rss_kib_$n: $(tail -1 "$D/rss") KiB"
done

# The baseline program: the item as its argument, printed back (after 1 ms).
cat > "$D/item.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(int argc, char **argv)
{
	struct timespec ts = { 0, 1000000 };
	if (argc > 2 && atoi(argv[2]) > 0)
		nanosleep(&ts, NULL);
	return puts(argc > 1 ? argv[1] : "{}") < 0;
}
C
BEST=
if ! command -v bwrap >/dev/null || ! bwrap --unshare-all --ro-bind / / /bin/true 2>/dev/null; then
  echo "SKIP: batch.xargs_bwrap_*, batch.parallel_bwrap_*, batch.vs_parallel_bwrap: bwrap is not installed or cannot run here"
  exit 0
fi
cc -O2 -o "$D/item" "$D/item.c" || { echo "SKIP: batch baselines: no C compiler"; exit 0; }
head -n "$NB" "$D/noop.jsonl" > "$D/b.jsonl"
for w in noop 1ms; do
  ms=0; [ "$w" = 1ms ] && ms=1
  t=$(secs sh -c "xargs -d '\n' -P2 -I{} bwrap --unshare-all --ro-bind / / '$D/item' {} $ms < '$D/b.jsonl'")
  r=$(rate "$NB" "$t"); echo "batch.xargs_bwrap_items_per_s_$w: $r items/s"
  [ "$w" = noop ] && BEST=$r
  if command -v parallel >/dev/null; then
    t=$(secs sh -c "parallel -j2 bwrap --unshare-all --ro-bind / / '$D/item' {} $ms < '$D/b.jsonl'")
    r=$(rate "$NB" "$t"); echo "batch.parallel_bwrap_items_per_s_$w: $r items/s"
    [ "$w" = noop ] && [ "$r" -gt "$BEST" ] && BEST=$r
  elif [ "$w" = noop ]; then
    echo "SKIP: batch.parallel_bwrap_*: GNU parallel is not installed (Debian package parallel)"
  fi
done
echo "batch.vs_parallel_bwrap: $(awk -v a="$NOOP" -v b="$BEST" 'BEGIN { printf "%.1f", a / b }') x"
