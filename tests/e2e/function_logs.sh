#!/usr/bin/env bash
# End-to-end: the function log store and `tutti logs`.
#   - invocations of a registered function (tutti invoke NAME, Tasks of
#     tutti run) are kept as START / output / END / REPORT records, Init
#     Duration only on cold starts, output made safe (no raw control bytes);
#   - --since (ages and ISO times), --output json, --follow (a record
#     appended while it runs appears; SIGINT ends it with exit 0);
#   - unknown functions: exit 2 with a suggestion; path invocations are not
#     kept;
#   - rotation keeps the directory bounded after many chatty invocations;
#   - a failing Task's output tail follows its errorMessage in the cause,
#     and run --log prints it on stderr.
# Needs $TUTTI, $TUTTI_TOP, a fresh $TUTTI_HOME.
. "$(dirname "$0")/lib.sh"
e2e_init logs
need jq

cat >"$W/chatty.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <tutti.h>
/* {"say": TEXT, "fail": true, "kib": N}: prints TEXT (and an escape
 * sequence), N KiB of filler, fails if asked. */
int handler(tt_ctx *ctx, const char *ev, size_t n)
{
	char say[128] = "";
	const char *p = strstr(ev, "\"say\":\"");
	int kib = 0;
	(void)n;
	if (p)
		sscanf(p + 7, "%127[^\"]", say);
	if ((p = strstr(ev, "\"kib\":")))
		kib = atoi(p + 6);
	printf("said %s\n\033]0;pwned\007 done\n", say);
	for (int i = 0; i < kib; i++) {
		for (int j = 0; j < 15; j++)
			printf("filler %03d.%02d ------------------------------------------------------\n", i, j);
	}
	fflush(stdout);
	if (strstr(ev, "\"fail\":true"))
		return tt_raise(ctx, "ChattyError", "asked to fail (%s)", say);
	return tt_return(ctx, "{\"ok\":true}", 0);
}
EOF
sed -i 's/#include <string.h>/#include <string.h>\n#include <stdlib.h>/' "$W/chatty.c"
cc -std=c11 -Wall -Werror -shared -fPIC -I"$TUTTI_TOP/include" -o "$W/chatty.so" "$W/chatty.c"
run 0 "$TUTTI" function create chatty --code "$W/chatty.so"
dir="$TUTTI_HOME/logs/functions/chatty"

step "one cold invocation from tutti invoke"
run 0 "$TUTTI" invoke chatty --payload '{"say":"first"}'
[ -d "$dir" ] || fail "no log directory $dir"
is "$(stat -c %a "$dir")" 700 "log directory mode"
is "$(stat -c %a "$dir/log")" 600 "log file mode"
run 0 "$TUTTI" logs chatty
grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z START RequestId: [0-9a-f-]{36} Version: \$LATEST$' "$W/out" ||
  { cat "$W/out"; fail "no START line"; }
grep -q 'Z said first$' "$W/out" || fail "the function's output is not kept"
grep -qF 'Z \x1b]0;pwned\x07 done' "$W/out" || { cat "$W/out"; fail "control bytes are not escaped"; }
if LC_ALL=C grep -q $'\x1b' "$TUTTI_HOME/logs/functions/chatty/log"; then fail "a raw ESC is stored"; fi
grep -qE 'Z END RequestId: [0-9a-f-]{36}$' "$W/out" || fail "no END line"
report_re=$'Z REPORT RequestId: [0-9a-f-]{36}\tDuration: [0-9]+\\.[0-9]{2} ms\tBilled Duration: [0-9]+ ms\tMemory Size: 128 MB\tMax Memory Used: [0-9]+ MB\t'
grep -qE "${report_re}Init Duration: [0-9]+\\.[0-9]{2} ms"$'\t$' "$W/out" || { cat -A "$W/out"; fail "REPORT of a cold start"; }
ok "START, output, END, REPORT with Init Duration"

step "warm invocations from tutti run: Init Duration only on the first"
cat >"$W/three.json" <<'EOF'
{"StartAt":"A","States":{
 "A":{"Type":"Task","Resource":"chatty","Parameters":{"say":"run-a"},"Next":"B"},
 "B":{"Type":"Task","Resource":"chatty","Parameters":{"say":"run-b"},"Next":"C"},
 "C":{"Type":"Task","Resource":"chatty","Parameters":{"say":"run-c"},"End":true}}}
EOF
run 0 "$TUTTI" run "$W/three.json"
run 0 "$TUTTI" logs chatty
is "$(grep -c 'REPORT RequestId' "$W/out")" 4 "REPORT lines after 4 invocations"
is "$(grep -c 'Init Duration' "$W/out")" 2 "cold starts (invoke, then run's first Task)"
# in run's records: the first REPORT has Init Duration, the next two do not
reps=$(sed -n '/said run-a/,$p' "$W/out" | grep 'REPORT RequestId' | grep -c 'Init Duration' || true)
is "$reps" 1 "one cold start in the run"
grep -q 'said run-c' "$W/out" || fail "the run's last Task output"
ok "warm records have no Init Duration"

step "--since and --output json"
run 0 "$TUTTI" logs chatty --since 1h
is "$(grep -c 'REPORT RequestId' "$W/out")" 4 "--since 1h keeps all"
run 0 "$TUTTI" logs chatty --since 2000-01-01T00:00:00Z
is "$(grep -c 'REPORT RequestId' "$W/out")" 4 "--since an old ISO time keeps all"
run 0 "$TUTTI" logs chatty --since 2999-01-01
[ ! -s "$W/out" ] || fail "--since a future time printed $(head -3 "$W/out")"
run 0 "$TUTTI" logs chatty --output json
jq -e -s 'length > 8 and all(has("timestamp") and has("message")) and (.[0].message | startswith("START RequestId: "))' "$W/out" >/dev/null ||
  fail "--output json: $(head -3 "$W/out")"
refused "--since takes an age" "$TUTTI" logs chatty --since yesterday
refused "--since takes an age" "$TUTTI" logs chatty --since 10x
ok "--since, --output json"

step "unknown functions; path invocations are not kept"
refused "did you mean 'chatty'" "$TUTTI" logs chaty
refused "no function named 'nothere'" "$TUTTI" logs nothere
run 0 "$TUTTI" invoke "$W/chatty.so"
[ "$(ls "$TUTTI_HOME/logs/functions")" = chatty ] || fail "a path invocation was kept: $(ls "$TUTTI_HOME/logs/functions")"
ok "exit 2 with a suggestion; path invocations not kept"

step "--follow shows a record appended while it runs, ends on SIGINT"
"$TUTTI" logs chatty --follow --since 1h >"$W/follow" 2>"$W/follow.err" &
fpid=$!
E2E_PIDS+=("$fpid")
for _ in $(seq 50); do grep -q 'said run-c' "$W/follow" 2>/dev/null && break; sleep 0.1; done
grep -q 'said run-c' "$W/follow" || fail "--follow did not print the kept log first"
run 0 "$TUTTI" invoke chatty --payload '{"say":"while-following"}'
for _ in $(seq 50); do grep -q 'said while-following' "$W/follow" && break; sleep 0.1; done
grep -q 'said while-following' "$W/follow" || fail "--follow did not show the new record"
kill -INT "$fpid"
frc=0
wait "$fpid" || frc=$?
is "$frc" 0 "--follow exit status after SIGINT"
ok "--follow"

step "a failing Task: its log tail in the cause and on stderr with --log"
cat >"$W/failing.json" <<'EOF'
{"StartAt":"F","States":{"F":{"Type":"Task","Resource":"chatty","Parameters":{"say":"tail-marker","fail":true},"End":true}}}
EOF
run 1 "$TUTTI" run "$W/failing.json" --log
is "$(field .error)" ChattyError "error of the failed run"
cause=$(field .cause)
case "$cause" in
  "asked to fail (tail-marker)"$'\n'"--- log tail (RequestId: "*") ---"$'\n'"said tail-marker"$'\n'*) ;;
  *) fail "cause: $cause" ;;
esac
case "$cause" in *$'\x1b'*) fail "a raw ESC in the cause" ;; esac
grep -q 'said tail-marker' "$W/err" || fail "--log: the failed invocation's output is not on stderr"
grep -q 'failed: ChattyError' "$W/err" || fail "--log: no header line"
ok "cause: errorMessage first, then the tail"

step "rotation keeps the directory bounded"
# 100 invocations of ~64 KiB each (about 6 MiB): at most 4 files of ~1 MiB.
cat >"$W/many.json" <<'EOF'
{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
 "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"chatty","Parameters":{"say":"many","kib":70},"End":true}}},
 "End":true}}}
EOF
jq -n '{items: [range(100)]}' >"$W/items.json"
run 0 "$TUTTI" run "$W/many.json" "$W/items.json"
files=$(ls -A "$dir" | grep -v '^\.lock$' | sort | tr '\n' ' ')
is "$files" "log log.1 log.2 log.3 " "files after rotation"
total=$(du -cb "$dir"/log* | tail -1 | cut -f1)
[ "$total" -le $((4 * (1048576 + 80000))) ] || fail "log directory holds $total bytes"
grep -q 'truncated [0-9]* bytes' "$dir/log" || fail "no truncation marker for 70 KiB of output"
run 0 "$TUTTI" logs chatty
head -1 "$W/out" | grep -q 'START RequestId' || fail "the oldest kept file does not start with a record"
tail -1 "$W/out" | grep -q 'REPORT RequestId' || fail "the newest record is not last"
ok "rotated: $files($total bytes)"
