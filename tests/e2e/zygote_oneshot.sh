#!/usr/bin/env bash
# End to end: the one-shot start-up leaks nothing. `tutti invoke` exits
# without waiting for its zygote's clean-up (rt_options.oneshot): the
# zygote takes its environments down and removes its cgroups on its own.
# After 50 invokes in a row (and a short settle) there is no process of an
# environment (uid 65534) or a zygote left, no new cgroup a dead zygote
# left behind (one no live zygote holds the lock of), and the mount table
# is unchanged. Also: the seccomp cache under $TUTTI_HOME/run is private,
# and a corrupted one is refused (the invoke works, the file is rewritten).
# Runs in a PID and mount namespace of its own (unshare -pf --mount-proc):
# the processes and mounts it counts are its own.
# Needs $TUTTI, $TUTTI_TOP, $BUILD, a fresh $TUTTI_HOME, root, unshare, flock.
. "$(dirname "$0")/lib.sh"
set +e
NOOP="$TUTTI_TOP/$BUILD/functions/noop.so"
if [ -z "${TUTTI_ONESHOT_INNER:-}" ]; then
	need unshare flock
	TUTTI_ONESHOT_INNER=1 exec unshare -pf --mount-proc --kill-child bash "$0" "$@"
fi
# check NAME CONDITION DETAIL-IF-FAILED
check() { if eval "$2"; then check_pass "$1" "ok"; else check_fail "$1" "${3:-}"; fi; }

# Dead zygotes' cgroups: tutti-z* dirs under our hierarchies nobody locks.
cg_dirs() {
	local h own
	for h in memory pids freezer cpuacct; do
		own=$(awk -F: -v h="$h" '$2 ~ "(^|,)" h "(,|$)" { print $3 }' /proc/self/cgroup)
		[ -n "$own" ] || continue
		echo "/sys/fs/cgroup/$h${own%/}"
	done
	own=$(sed -n 's/^0:://p' /proc/self/cgroup)
	[ -e /sys/fs/cgroup/cgroup.controllers ] && echo "/sys/fs/cgroup${own%/}"
}
unlocked_cgroups() {
	local base d
	for base in $(cg_dirs); do
		for d in "$base"/tutti-z*; do
			[ -d "$d" ] && flock -n "$d" true 2>/dev/null && echo "$d"
		done
	done | sort
}

cg_before=$(unlocked_cgroups)
mounts_before=$(wc -l </proc/self/mountinfo)
bad=0
for ((i = 0; i < 50; i++)); do
	out=$("$TUTTI" invoke "$NOOP" 2>/dev/null) || bad=$((bad + 1))
	[ "$out" = null ] || bad=$((bad + 1))
done
check "fifty_invokes" '[ "$bad" = 0 ]' "$bad failed"
left="" newcg=""
for ((i = 0; i < 100; i++)); do # settle: up to 2 s
	left=$(sandbox_procs)
	newcg=$(comm -13 <(echo "$cg_before") <(unlocked_cgroups))
	[ -z "$left" ] && [ -z "$newcg" ] && break
	sleep 0.02
done
check "no_processes_left (after $((i * 20)) ms)" '[ -z "$left" ]' "left:$left"
check "no_cgroups_left" '[ -z "$newcg" ]' "left: $newcg"
check "mounts_unchanged" '[ "$(wc -l </proc/self/mountinfo)" = "$mounts_before" ]' \
	"$mounts_before before, $(wc -l </proc/self/mountinfo) after"

# The seccomp cache: one private file; a corrupted one is refused.
cache=$(ls "$TUTTI_HOME"/run/seccomp-*.bpf 2>/dev/null)
check "cache_one_file" '[ "$(wc -w <<<"$cache")" = 1 ]' "files: $cache"
check "cache_private" '[ "$(stat -c %a "$cache")" = 600 ]'
good=$(md5sum <"$cache")
printf '\x00\x00\x00\x00' | dd of="$cache" bs=1 seek=200 conv=notrunc status=none
check "corrupted_cache_changed" '[ "$(md5sum <"$cache")" != "$good" ]'
out=$("$TUTTI" invoke "$NOOP" 2>&1)
check "corrupted_cache_refused" '[ "$out" = null ] && [ "$(md5sum <"$cache")" = "$good" ]' "out: $out"
checks_done
