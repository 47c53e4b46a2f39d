#!/usr/bin/env bash
# End to end: cgroup names are unique across PID namespaces, and the sweep
# of stale cgroups leaves other tuttis' alone.
#   - two tuttis, each in its own `unshare -pf` PID namespace (where both
#     may well have the same pid), run sleep.so at once: each has its own
#     tutti-<id> memory cgroup with its environment in it, and both
#     invocations succeed;
#   - a tutti-<id> cgroup whose owner is alive (holds its flock) is not
#     swept by another tutti starting beside it.
# cgroup v1 (memory hierarchy) on this machine; skipped otherwise.
# Needs $TUTTI, $TUTTI_TOP, $BUILD, a fresh $TUTTI_HOME, root, unshare, flock.
. "$(dirname "$0")/lib.sh"
set +e
SLEEP="$TUTTI_TOP/$BUILD/functions/sleep.so"
own=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' /proc/self/cgroup)
mem=/sys/fs/cgroup/memory${own%/}
if [ ! -e /sys/fs/cgroup/memory/cgroup.procs ] || [ -z "$(awk -F: '$2 ~ /(^|,)memory(,|$)/' /proc/self/cgroup)" ]; then
	skip "no cgroup v1 memory hierarchy here (the v2 path is tests/e2e/zygote_cgroup2.sh)"
fi
W=$(mktemp -d /tmp/tutti-cg.XXXXXX)
trap 'rm -rf "$W"; [ -n "${holder:-}" ] && kill $holder 2>/dev/null; rmdir "$mem/$fake" 2>/dev/null' EXIT

# A live owner's cgroup: locked by a process, as a zygote locks its own.
fake=tutti-z0123456789abcdef
mkdir "$mem/$fake"
flock "$mem/$fake" sleep 30 &
holder=$!

before=$(ls -d "$mem"/tutti-* 2>/dev/null | sort)
tuttis=()
for i in 1 2; do
	unshare -pf --mount-proc "$TUTTI" invoke "$SLEEP" --payload '{"ms":1500}' >"$W/out$i" 2>&1 &
	tuttis+=($!)
done
# While both sleep: the cgroups they made, each with a process in a slot.
sleep 0.8
mine=$(comm -13 <(echo "$before") <(ls -d "$mem"/tutti-* 2>/dev/null | sort))
busy=0 # cgroups with a process in one of their slots
for d in $mine; do
	for s in "$d"/s*; do [ -n "$(cat "$s/cgroup.procs" 2>/dev/null)" ] && { busy=$((busy + 1)); break; }; done
done
n=$(wc -w <<<"$mine")
if [ "$n" = 2 ] && [ "$busy" = 2 ]; then
	check_pass two_pid_namespaces "two cgroups, one environment in each: $(echo $mine)"
else
	check_fail two_pid_namespaces "$n new tutti cgroups ($mine), $busy of them with processes (want 2 and 2)"
fi
wait "${tuttis[@]}"
for i in 1 2; do
	if grep -q '"ms"' "$W/out$i"; then check_pass "invocation_$i" "$(cat "$W/out$i")"
	else check_fail "invocation_$i" "$(cat "$W/out$i")"; fi
done
if [ -d "$mem/$fake" ]; then check_pass locked_cgroup_kept "$fake (owner alive) still there"
else check_fail locked_cgroup_kept "$fake was swept while its owner lives"; fi
left=$(comm -13 <(echo "$before") <(ls -d "$mem"/tutti-* 2>/dev/null | sort))
[ -z "$left" ] && check_pass cleaned_up "both tuttis removed their cgroups" ||
	check_fail cleaned_up "left: $left"
checks_done
