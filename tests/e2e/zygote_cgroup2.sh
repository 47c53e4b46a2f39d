#!/usr/bin/env bash
# End to end: the cgroup v2 path, on a cgroup2 hierarchy mounted beside
# the machine's own (in a private mount namespace) and handed to tutti with
# TUTTI_CGROUP_ROOT. Where no controller can be enabled (a machine whose
# memory/pids/cpu controllers are bound to v1), memory falls back to
# rlimits, but the v2 mechanics are real and checked here:
#   - leaf: the zygote moves itself into tutti-<id>/supervisor, leaving
#     tutti-<id> free of processes (so controllers could be enabled for the
#     slots: the "no internal processes" rule), each environment in a slot;
#   - freeze: an idle environment's slot is frozen (cgroup.freeze 1,
#     cgroup.events "frozen 1"), a thread it left spinning burns no CPU,
#     and the next invocation (warm) thaws it;
#   - kill: a function past its timeout is Sandbox.Timedout; tutti killed
#     with SIGTERM mid-invocation leaves no process in any slot (the
#     zygote thaws and cgroup.kill's every slot);
#   - clean-up: nothing of tutti's is left in the hierarchy afterwards.
# Skips (exit 77) only if the cgroup2 mount fails.
# Needs $TUTTI, $TUTTI_TOP, $BUILD, a fresh $TUTTI_HOME, root, unshare, jq.
. "$(dirname "$0")/lib.sh"
set +e
B="$TUTTI_TOP/$BUILD"
if [ -z "${TUTTI_CG2_INNER:-}" ]; then
	need unshare
	TUTTI_CG2_INNER=1 exec unshare -m --propagation private bash "$0" "$@"
fi
W=$(mktemp -d /tmp/tutti-cg2.XXXXXX)
CG=$W/cg2
mkdir "$CG"
if ! mount -t cgroup2 none "$CG" 2>"$W/mount.err"; then
	why=$(cat "$W/mount.err")
	rm -rf "$W"
	skip "cannot mount a cgroup2 hierarchy: $why"
fi
own=$(sed -n 's/^0:://p' /proc/self/cgroup)
T=$CG${own%/}/tutti-e2e-$$
mkdir "$T" && echo $$ >"$T/cgroup.procs" || { echo "FAIL setup: cannot make $T"; exit 1; }
cleanup() {
	echo $$ >"$CG${own%/}/cgroup.procs" 2>/dev/null
	find "$T" -depth -type d -exec rmdir {} + 2>/dev/null
	umount "$CG"
	rm -rf "$W"
}
trap cleanup EXIT
export TUTTI_CGROUP_ROOT=$CG TUTTI_LOG=error
busy_slots() { local s n=0; for s in "$T"/tutti-*/s*; do [ -n "$(cat "$s/cgroup.procs" 2>/dev/null)" ] && n=$((n + 1)); done; echo $n; }

# --- leaf and slots ------------------------------------------------------------
"$TUTTI" invoke "$B/functions/sleep.so" --payload '{"ms":1500}' >"$W/sleep.out" 2>&1 &
t=$!
for ((i = 0; i < 100; i++)); do [ "$(busy_slots)" -ge 1 ] && break; sleep 0.02; done
base=$(ls -d "$T"/tutti-* 2>/dev/null | head -1)
sup=$(cat "$base/supervisor/cgroup.procs" 2>/dev/null | tr '\n' ' ')
inner=$(cat "$base/cgroup.procs" 2>/dev/null | tr '\n' ' ')
zy=$(for p in $sup; do cat /proc/$p/comm; done 2>/dev/null | tr '\n' ' ')
if [ -n "$base" ] && [[ $zy == *tutti-zygote* ]] && [ -z "$inner" ] && [ "$(busy_slots)" -ge 1 ]; then
	check_pass leaf "zygote in ${base##*/}/supervisor ($zy), ${base##*/} itself empty, $(busy_slots) busy slot(s)"
else
	check_fail leaf "base=$base supervisor=[$sup] ($zy) own procs=[$inner] busy=$(busy_slots)"
fi
wait $t
grep -q '"ms":1500' "$W/sleep.out" && check_pass invoke "$(cat "$W/sleep.out")" || check_fail invoke "$(cat "$W/sleep.out")"
# (The CLI is one-shot: its zygote removes the cgroups on its own, just
# after tutti's exit.)
for ((i = 0; i < 50; i++)); do [ -z "$(ls -d "$T"/tutti-* 2>/dev/null)" ] && break; sleep 0.02; done
left=$(ls -d "$T"/tutti-* 2>/dev/null)
[ -z "$left" ] && check_pass cleaned_up "no tutti-<id> left" || check_fail cleaned_up "left: $left"

# --- freeze ---------------------------------------------------------------------
printf '%s' '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"spinner","Next":"W"},
  "W":{"Type":"Wait","Seconds":1,"Next":"B"},"B":{"Type":"Task","Resource":"spinner","End":true}}}' >"$W/sm.json"
"$TUTTI" run "$W/sm.json" --function spinner="$B/hostile/idle_spin.so" >"$W/run.out" 2>&1 &
t=$!
frozen=""
for ((i = 0; i < 150; i++)); do
	for s in "$T"/tutti-*/s*; do
		[ "$(cat "$s/cgroup.freeze" 2>/dev/null)" = 1 ] && grep -qx 'frozen 1' "$s/cgroup.events" 2>/dev/null &&
			[ -n "$(cat "$s/cgroup.procs")" ] && frozen=$s
	done
	[ -n "$frozen" ] && break
	sleep 0.02
done
[ -n "$frozen" ] && check_pass frozen_while_idle "${frozen#"$T"/}: cgroup.freeze 1, frozen 1" ||
	check_fail frozen_while_idle "no slot with processes was frozen"
wait $t
idle=$(jq -r .idle_cpu_ms "$W/run.out" 2>/dev/null)
calls=$(jq -r .calls "$W/run.out" 2>/dev/null)
if [ "$calls" = 2 ] && [ -n "$idle" ] && [ "$idle" -lt 100 ]; then
	check_pass idle_burns_nothing "warm second call; the spinning thread ran $idle ms during 1 s of idle"
else
	check_fail idle_burns_nothing "$(cat "$W/run.out")"
fi

# --- kill -----------------------------------------------------------------------
out=$("$TUTTI" invoke "$B/hostile/spin.so" --timeout 1 2>&1)
grep -q '"Sandbox.Timedout"' <<<"$out" && check_pass timeout "$out" || check_fail timeout "$out"
"$TUTTI" invoke "$B/hostile/spin.so" >/dev/null 2>&1 &
t=$!
for ((i = 0; i < 100; i++)); do [ "$(busy_slots)" -ge 1 ] && break; sleep 0.02; done
kill -TERM $t
wait $t
for ((i = 0; i < 50; i++)); do [ "$(busy_slots)" = 0 ] && break; sleep 0.02; done
procs=$(cat "$T"/tutti-*/s*/cgroup.procs 2>/dev/null | tr '\n' ' ')
[ -z "$procs" ] && check_pass killed_with_tutti "no process left in any slot after $((i * 20)) ms" ||
	check_fail killed_with_tutti "left: $procs"
for ((i = 0; i < 50; i++)); do [ -z "$(ls -d "$T"/tutti-* 2>/dev/null)" ] && break; sleep 0.02; done
left=$(ls -d "$T"/tutti-* 2>/dev/null)
[ -z "$left" ] && check_pass cleaned_up_after_kill "no tutti-<id> left" || check_fail cleaned_up_after_kill "left: $left"

checks_done
