#!/usr/bin/env bash
# End to end: hostile functions against the real sandbox.
#
# Each function in tests/hostile/ ($BUILD/hostile/NAME.so) attacks the
# sandbox one way. For each, this script checks
#   (a) the outcome: the exact error name (and the syscall it names), or,
#       where the attack is simply powerless, the function's own result
#       proving it failed ({"opened":false,"errno":"ENOENT"});
#   (b) the host is unharmed: a canary file outside and one inside
#       $TUTTI_HOME unchanged, no process left behind (same count as
#       before, none running as the sandbox uid), no mount or cgroup left;
#   (c) the next invocation of a good function (echo.so) succeeds.
# One line per check: PASS/FAIL, the check, what was seen. Exit 1 if any
# check failed. Failures that are runtime bugs say so ("runtime bug: ...").
#
# The script protects the machine from the sandbox it tests: it re-executes
# itself in its own PID and network namespaces (unshare -pfn --mount-proc,
# loopback up, every process killed when it ends) inside a pids+memory
# cgroup it creates (pids.max 512, memory 2 GiB) and removes at the end.
# Needs root (as tutti does), unshare, ip, jq and python3 (the listeners).
#
# Run by scripts/run-e2e.sh (TUTTI, TUTTI_TOP, BUILD, fresh TUTTI_HOME).
# HOSTILE_ONLY=REGEX runs only the checks whose name matches.
. "$(dirname "$0")/lib.sh"
set +e # many checks, each counted (passed/failed below)
top=$TUTTI_TOP
export TUTTI_TOP BUILD TUTTI
# The checks count this namespace's processes exactly after each
# invocation: tutti waits for its zygote's clean-up here (the CLI's
# one-shot mode leaves it to the zygote, after tutti's exit; that it leaks
# nothing is tests/e2e/zygote_oneshot.sh's business).
export TUTTI_WAIT_ZYGOTE=1

# ---- 1. isolation: cgroup + namespaces, then run the checks inside ---------
if [ -z "${TUTTI_HOSTILE_INNER:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "FAIL setup: needs root (as tutti does)"; exit 1; }
	for tool in unshare ip jq python3 flock; do
		command -v "$tool" >/dev/null || { echo "FAIL setup: $tool not found"; exit 1; }
	done
	cg_dirs=() cg_back=()
	# cgroup v1: memory and pids hierarchies; our cgroups nest under the
	# ones we are in, so whatever limits us already still does.
	if [ -e /sys/fs/cgroup/memory/cgroup.procs ] && [ -e /sys/fs/cgroup/pids/cgroup.procs ]; then
		own_mem=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' /proc/self/cgroup)
		own_pids=$(awk -F: '$2 ~ /(^|,)pids(,|$)/ { print $3 }' /proc/self/cgroup)
		mem=/sys/fs/cgroup/memory${own_mem%/}/tutti-hostile-$$
		pids=/sys/fs/cgroup/pids${own_pids%/}/tutti-hostile-$$
		if ! { mkdir -p "$mem" "$pids" && echo 2147483648 >"$mem/memory.limit_in_bytes" &&
			echo 512 >"$pids/pids.max" && echo $$ >"$mem/cgroup.procs" && echo $$ >"$pids/cgroup.procs"; }; then
			echo "FAIL setup: cannot make the test's cgroups $mem $pids"
			echo $$ >"${mem%/*}/cgroup.procs" 2>/dev/null
			echo $$ >"${pids%/*}/cgroup.procs" 2>/dev/null
			rmdir "$mem" "$pids" 2>/dev/null
			exit 1
		fi
		cg_dirs=("$mem" "$pids")
		cg_back=("${mem%/*}/cgroup.procs" "${pids%/*}/cgroup.procs")
		export TUTTI_HOSTILE_CG_MEM=$mem TUTTI_HOSTILE_CG_PIDS=$pids TUTTI_HOSTILE_CG=v1
	elif [ -e /sys/fs/cgroup/cgroup.controllers ]; then
		own=$(sed -n 's/^0:://p' /proc/self/cgroup)
		cg=/sys/fs/cgroup${own%/}/tutti-hostile-$$
		if ! { mkdir -p "$cg" && echo 2147483648 >"$cg/memory.max" && echo 512 >"$cg/pids.max" &&
			echo $$ >"$cg/cgroup.procs"; }; then
			echo "FAIL setup: cannot make the test's cgroup $cg (memory+pids enabled above it?)"
			rmdir "$cg" 2>/dev/null
			exit 1
		fi
		cg_dirs=("$cg")
		cg_back=("${cg%/*}/cgroup.procs")
		export TUTTI_HOSTILE_CG_MEM=$cg TUTTI_HOSTILE_CG_PIDS=$cg TUTTI_HOSTILE_CG=v2
	else
		echo "FAIL setup: no usable cgroup hierarchy (v1 memory+pids or v2)"
		exit 1
	fi
	echo "---- isolated: cgroup ${cg_dirs[*]} (pids.max 512, memory 2 GiB); own PID and network namespaces"
	# If we are stopped, unshare is killed (it ignores SIGTERM while it
	# waits), --kill-child kills the inner shell, PID 1 of the namespace,
	# and with it goes every process in the namespace.
	TUTTI_HOSTILE_INNER=$$ unshare -pfn --mount-proc --kill-child bash "$0" "$@" &
	inner=$!
	trap 'kill -KILL $inner 2>/dev/null' INT TERM HUP
	wait $inner
	rc=$?
	while kill -0 $inner 2>/dev/null; do wait $inner; rc=$?; done
	trap - INT TERM HUP
	# Leave our cgroups, then remove them (deepest first: a sandbox cgroup
	# tutti failed to remove is reported by the checks, then cleaned here).
	for f in "${cg_back[@]}"; do echo $$ >"$f" 2>/dev/null; done
	for d in "${cg_dirs[@]}"; do
		for ((i = 0; i < 20; i++)); do # the namespace's last exits may lag
			find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
			[ -d "$d" ] || break
			sleep 0.1
		done
		[ -d "$d" ] && { echo "FAIL cleanup: cannot remove $d"; rc=1; }
	done
	exit $rc
fi

# ---- 2. inside: fixtures --------------------------------------------------
ip link set lo up || { echo "FAIL setup: cannot bring lo up"; exit 1; }
H=$top/$BUILD/hostile
ECHO=$top/$BUILD/functions/echo.so
SLEEP=$top/$BUILD/functions/sleep.so
for f in "$ECHO" "$SLEEP" "$H/exec_shell.so"; do
	[ -e "$f" ] || { echo "FAIL setup: $f missing (make first)"; exit 1; }
done
work=$(mktemp -d /tmp/tutti-hostile.XXXXXX)
trap 'rm -rf "$work"' EXIT
od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$work/canary"
od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$TUTTI_HOME/hostile-canary"
case $BUILD in *asan*) rss_cap_mb=512 ;; *) rss_cap_mb=64 ;; esac

# One listener for the network checks: TCP on 127.0.0.1 and an abstract
# AF_UNIX name, logging every connection it accepts.
abstract=tutti-hostile-$TUTTI_HOSTILE_INNER
python3 - "$work/listener.log" "$abstract" "$work/port" <<'EOF' &
import os, select, socket, sys
log = open(sys.argv[1], "a", buffering=1)
t = socket.socket()
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("127.0.0.1", 0))
t.listen(16)
u = socket.socket(socket.AF_UNIX)
u.bind("\0" + sys.argv[2])
u.listen(16)
with open(sys.argv[3] + ".tmp", "w") as f:
    f.write(str(t.getsockname()[1]))
os.rename(sys.argv[3] + ".tmp", sys.argv[3])
while True:
    for s in select.select([t, u], [], [])[0]:
        c, _ = s.accept()
        log.write(("tcp" if s is t else "unix") + "\n")
        c.close()
EOF
for ((i = 0; i < 50; i++)); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port" 2>/dev/null) || { echo "FAIL setup: the listener did not start"; exit 1; }
: >>"$work/listener.log"

# ---- 3. helpers -----------------------------------------------------------
passed=0 failed=0
# $ms: milliseconds since an $EPOCHREALTIME reading (no fork).
elapsed() {
	local a=${1/[.,]/} b=${EPOCHREALTIME/[.,]/}
	ms=$(((b - a) / 1000))
}
t_last=$EPOCHREALTIME
# (the duration of the last check, $last_ms, sizes the kill checks' victim)
last_ms=300
pass() { elapsed "$t_last"; printf 'PASS  %-30s %s (%s ms)\n' "$1" "$2" "$ms"; passed=$((passed + 1)); t_last=$EPOCHREALTIME; last_ms=$ms; }
fail() { elapsed "$t_last"; printf 'FAIL  %-30s %s (%s ms)\n' "$1" "$2" "$ms"; failed=$((failed + 1)); t_last=$EPOCHREALTIME; last_ms=$ms; }
want() { [ -z "${HOSTILE_ONLY:-}" ] || [[ $1 =~ $HOSTILE_ONLY ]]; }

# Helpers below avoid forks: the checks run many of them on a busy machine.
shopt -s nullglob
# One pass over /proc (our PID namespace only): $nprocs_now processes and
# $sandbox_now, the pids running as the sandbox uid (65534), leaving out
# the process trees of $bg_roots (invocations deliberately left running).
bg_roots=" "
scan_procs() {
	local f line pid rest p uid
	local -A parent=()
	nprocs_now=0 sandbox_now=""
	for f in /proc/[0-9]*/stat; do
		IFS= read -r line <"$f" 2>/dev/null || continue
		pid=${line%% *}
		rest=${line##*) }
		rest=${rest#* }
		parent[$pid]=${rest%% *}
	done
	for pid in "${!parent[@]}"; do
		p=$pid
		while [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != 1 ]; do
			[[ $bg_roots == *" $p "* ]] && continue 2
			p=${parent[$p]:-}
		done
		nprocs_now=$((nprocs_now + 1))
		uid=""
		while IFS= read -r line; do
			case $line in Uid:*) uid=$line; break ;; esac
		done <"/proc/$pid/status" 2>/dev/null
		[[ $uid =~ ^Uid:[[:space:]]+65534[[:space:]] ]] && sandbox_now+="${sandbox_now:+,}$pid"
	done
}
# $cgroups_now: cgroups a runtime left under ours (tutti-z<id>: only those
# no live zygote holds the lock of count; each zygote flocks its own for
# its whole life).
find_cgroups() {
	local d
	cgroups_now=""
	for d in "$TUTTI_HOSTILE_CG_MEM"/tutti-* "$TUTTI_HOSTILE_CG_PIDS"/tutti-*; do
		[ -d "$d" ] && flock -n "$d" true 2>/dev/null && cgroups_now+=" $d"
	done
}
count_mounts() { local m; mapfile -t m </proc/self/mountinfo; nmounts_now=${#m[@]}; }
read_canaries() { canaries_now=""; local l; for f in "$work/canary" "$TUTTI_HOME/hostile-canary"; do
	IFS= read -r l <"$f" 2>/dev/null; canaries_now+="$l/"; done; }
mem_usage() {
	local v
	if [ "$TUTTI_HOSTILE_CG" = v1 ]; then read -r v <"$TUTTI_HOSTILE_CG_MEM/memory.usage_in_bytes"
	else read -r v <"$TUTTI_HOSTILE_CG_MEM/memory.current"; fi
	echo "$v"
}

# inv ARGS...: tutti invoke ARGS; sets $out (stdout), $err (stderr), $rc.
# $etype and $emsg: the error's fields, if it printed one.
inv() {
	# --foreground: stay in our process group, as environments of one
	# runtime do (kill_parent relies on it).
	out=$(timeout --foreground -k 5 60 "$TUTTI" invoke "$@" 2>"$work/stderr")
	rc=$?
	IFS= read -r -d '' -n 2000 err <"$work/stderr"
	err=${err//$'\n'/ }
	parse_error "$out"
}
parse_error() {
	etype="" emsg=""
	[[ $1 =~ \"errorType\":[[:space:]]*\"([^\"]*)\" ]] && etype=${BASH_REMATCH[1]}
	[[ $1 =~ \"errorMessage\":[[:space:]]*\"(([^\"\\]|\\.)*)\" ]] && emsg=${BASH_REMATCH[1]}
}

# The host after a check: returns 0, or 1 with the reason in $harm.
host_intact() {
	local tag=$1 i o
	harm=""
	for ((i = 0; i < 40; i++)); do # exiting processes may need a moment
		scan_procs
		[ "$nprocs_now" = "$base_procs" ] && [ -z "$sandbox_now" ] && break
		sleep 0.05
	done
	[ "$nprocs_now" = "$base_procs" ] ||
		harm+="processes: $base_procs before, $nprocs_now after ($(ps -eo pid,uid,stat,comm --no-headers | tr -s ' ' | paste -sd';')); "
	[ -z "$sandbox_now" ] || harm+="sandbox-uid processes left: $sandbox_now; "
	read_canaries
	[ "$canaries_now" = "$canaries" ] || harm+="canary files changed or gone; "
	count_mounts
	[ "$nmounts_now" = "$mounts_before" ] || harm+="host mount table changed; "
	find_cgroups
	[ -z "$cgroups_now" ] || harm+="cgroups left:$cgroups_now; "
	o=$(timeout -k 5 30 "$TUTTI" invoke "$ECHO" --payload "{\"after\":\"$tag\"}" 2>/dev/null)
	[ "$o" = "{\"after\":\"$tag\"}" ] || harm+="next echo.so invocation failed: $o; "
	[ -z "$harm" ]
}

# check NAME VERDICT DETAIL: VERDICT 0 = outcome as expected; then the host.
check() {
	local name=$1 ok=$2 detail=$3
	if [ "$ok" != 0 ]; then
		fail "$name" "$detail"
		host_intact "$name" || echo "      and the host: $harm"
	elif host_intact "$name"; then
		pass "$name" "$detail; host intact, echo ok"
	else
		fail "$name" "$detail; BUT the host: $harm"
	fi
	scan_procs
	base_procs=$nprocs_now
}

# expect_error NAME TYPE MSG_REGEX -- INVOKE ARGS: the invocation fails
# with exactly TYPE and a message matching MSG_REGEX. (With $bug set, a
# failure is reported as that runtime bug.)
bug=""
expect_error() {
	local name=$1 type=$2 re=$3
	shift 4
	want "$name" || return 0
	inv "$@"
	if [ "$rc" = 1 ] && [ "$etype" = "$type" ] && [[ $emsg =~ $re ]]; then
		check "$name" 0 "$type: $emsg"
	else
		check "$name" 1 "${bug:+runtime bug: $bug; }expected $type /$re/ (exit 1), got exit $rc: ${out:0:300} ${err:0:200}"
	fi
}

# expect_result NAME JQ_TEST -- INVOKE ARGS: the invocation succeeds and
# its result passes the jq test (the function's own proof it failed).
expect_result() {
	local name=$1 test=$2
	shift 3
	want "$name" || return 0
	inv "$@"
	if [ "$rc" = 0 ] && jq -e "$test" <<<"$out" >/dev/null 2>&1; then
		check "$name" 0 "result ${out:0:260}"
	else
		check "$name" 1 "${bug:+runtime bug: $bug; }expected a result with $test, got exit $rc: ${out:0:300} ${err:0:200}"
	fi
}

# A violation: Runtime.SandboxViolation whose message names the call.
expect_violation() {
	local name=$1 call=$2
	shift 3
	expect_error "$name" Runtime.SandboxViolation "forbidden system call: $call\$" -- "$@"
}

# Wait until a sandbox (uid 65534 process) exists; its pid in $sandbox_now.
await_sandbox() {
	for ((i = 0; i < 100; i++)); do
		scan_procs
		[ -n "$sandbox_now" ] && return 0
		sleep 0.05
	done
	return 1
}

# The init-spin case takes 10 s of waiting: it runs alongside the others,
# in its own session (so kill_parent's kill(0) cannot reach it), and is
# checked at the end.
if want init_spin; then
	init_start=$EPOCHREALTIME
	{
		setsid "$TUTTI" invoke "$H/init_spin.so" --timeout 30 >"$work/init_spin.out" 2>&1
		echo "$EPOCHREALTIME" >"$work/init_spin.end"
	} &
	init_spin=$!
	bg_roots+="$init_spin "
fi
read_canaries
canaries=$canaries_now
count_mounts
mounts_before=$nmounts_now
scan_procs
base_procs=$nprocs_now
echo "---- tutti: $TUTTI; functions: $H; listener 127.0.0.1:$port and @$abstract; $base_procs processes"

# ---- 4. the checks --------------------------------------------------------

# Processes, exec and privileges.
expect_violation exec_shell execve -- "$H/exec_shell.so"
expect_violation fork_bomb clone -- "$H/fork_bomb.so"
expect_violation vfork vfork -- "$H/vfork.so"
expect_violation clone_process clone -- "$H/vfork.so" --payload '{"clone":1}'
expect_result thread_bomb '.errno == "EAGAIN" and .threads > 0 and .threads < 4096' -- "$H/thread_bomb.so"
expect_violation ptrace ptrace -- "$H/ptrace.so"
expect_violation mount mount -- "$H/mount.so"
expect_violation setuid0 setuid -- "$H/setuid0.so"
expect_violation load_module init_module -- "$H/load_module.so"
expect_violation finit_module finit_module -- "$H/load_module.so" --payload '{"finit":1}'
expect_violation unshare_user unshare -- "$H/unshare_user.so"
expect_violation clone_newuser clone -- "$H/unshare_user.so" --payload '{"clone":1}'
expect_violation mknod_dev_mem 'mknod(at)?' -- "$H/dev_mem.so" --payload '{"mknod":1}'
expect_result fd_scan '.fds == "0:chr 1:fifo 2:fifo 1000:sock"' -- "$H/fd_scan.so"
expect_result fd_scan_network_layer '.fds == "0:chr 1:fifo 2:fifo 1000:sock"' -- "$H/fd_scan.so" --network --layer-dir "$top/$BUILD/layers/greet"
if want capset; then
	inv "$H/capset.so"
	if { [ "$rc" = 1 ] && [ "$etype" = Runtime.SandboxViolation ] && [[ $emsg =~ :\ capset$ ]]; } ||
		{ [ "$rc" = 0 ] && [ "$out" = '{"capset":"EPERM"}' ]; }; then
		check capset 0 "${emsg:-result $out}"
	else
		check capset 1 "expected a violation naming capset or EPERM, got exit $rc: $out"
	fi
fi
if want admitted_forms; then
	inv "$H/admitted_forms.so"
	if { [ "$rc" = 1 ] && [ "$etype" = Runtime.SandboxViolation ] &&
		[[ $emsg =~ :\ (move_mount|setns|setgroups|setresgid|setresuid)$ ]]; } ||
		{ [ "$rc" = 0 ] && jq -e '.move_mount != "0" and .setns != "0" and .setgroups != "0" and .uid == 65534 and .gid == 65534' <<<"$out" >/dev/null; }; then
		check admitted_forms 0 "${emsg:-result $out}"
	else
		check admitted_forms 1 "expected failures (or a violation) and uid 65534, got exit $rc: $out"
	fi
fi
expect_result privs '.uid == 65534 and .euid == 65534 and .gid == 65534 and .no_new_privs == 1 and .seccomp == 2 and .raise_nofile == "EPERM" and .clear_nnp == "EINVAL" and .ambient == "EPERM" and .bset_sys_admin == 0' -- "$H/privs.so"

# The filter itself: its reporter, its architecture check.
expect_violation sigsys_handler rt_sigaction -- "$H/sigsys_handler.so"
expect_error block_sigsys Runtime.SandboxViolation 'forbidden system call' -- "$H/block_sigsys.so"
expect_error x32_abi Runtime.SandboxViolation 'forbidden system call' -- "$H/x32.so"
if want int80_i386; then
	inv "$H/int80.so"
	case "$rc:$etype" in
	1:Runtime.SandboxViolation | 1:Runtime.ExitError) check int80_i386 0 "$etype: $emsg (the 32-bit entry never ran the call)" ;;
	*) check int80_i386 1 "expected the process to die, got exit $rc: $out" ;;
	esac
fi

# Every other dangerous call, one invocation each (four at a time, so
# this also runs sandboxes side by side): each must trap by name.
if want syscall_sweep; then
	inv "$H/raw_syscall.so" --payload '{"list":1}'
	calls=${out//\"/}
	mkdir -p "$work/sweep"
	jobs_=()
	for c in $calls; do
		timeout -k 5 60 "$TUTTI" invoke "$H/raw_syscall.so" --payload "{\"name\":\"$c\"}" \
			>"$work/sweep/$c" 2>&1 &
		jobs_+=($!)
		# (never a bare `wait`: the listener is a child too)
		[ "${#jobs_[@]}" -lt 4 ] || { wait "${jobs_[0]}"; jobs_=("${jobs_[@]:1}"); }
	done
	for j in "${jobs_[@]}"; do wait "$j"; done
	# Calls the filter admits in one argument form only (the sandbox's own
	# last set-up steps use them): with zero arguments they may pass the
	# filter, and must then fail.
	admitted=" setgroups capset capget setns move_mount setresuid setresgid "
	bad="" n=0 ok=0 notes=""
	for c in $calls; do
		n=$((n + 1))
		IFS= read -r line <"$work/sweep/$c"
		parse_error "$line"
		if [ "$etype" = Runtime.SandboxViolation ] && [[ $emsg =~ :\ $c$ ]]; then
			ok=$((ok + 1))
		elif [[ $admitted == *" $c "* ]] && [[ $line =~ \"rc\":-1,\"errno\":\"([A-Z0-9]+)\" ]]; then
			notes+=" $c(admitted:${BASH_REMATCH[1]})"
		else
			bad+=" $c=>${line:0:120}"
		fi
	done
	if [ "$n" -gt 30 ] && [ -z "$bad" ]; then
		check syscall_sweep 0 "$ok of $n calls Runtime.SandboxViolation naming the call${notes:+, failing:$notes} (${calls:0:80}...)"
	else
		check syscall_sweep 1 "of $n calls, not trapped by name:$bad"
	fi
fi

# The runtime's channel (descriptor 1000) and its reporter (SIGSYS).
expect_violation close_chan close -- "$H/close_chan.so"
expect_violation dup2_chan dup2 -- "$H/dup2_chan.so"
expect_violation dup3_chan dup3 -- "$H/dup2_chan.so" --payload '{"dup3":1}'
# The same with the upper half of the register set: the kernel reads these
# arguments as 32-bit ints, so the rules must compare the low 32 bits.
bug="the argument-filtered rules compare all 64 bits (libseccomp's SCMP_Ax_32 only casts the datum to uint32_t), so an argument with upper bits set passes 'fd != 1000' / 'sig != SIGSYS' and the kernel truncates it to 1000 / SIGSYS"
expect_violation upper_bits_close close -- "$H/upper_bits.so" --payload '{"call":"close"}'
expect_violation upper_bits_dup2 dup2 -- "$H/upper_bits.so" --payload '{"call":"dup2"}'
expect_violation upper_bits_sigaction rt_sigaction -- "$H/upper_bits.so" --payload '{"call":"sigaction"}'
bug=""
expect_error shutdown_chan Runtime.ExitError '' -- "$H/shutdown_chan.so"
# Frames forged on the channel mid-invocation: refused on their header
# (wrong type for the state, or no valid invocation token).
expect_error forge_frame Runtime.InvalidResponse 'forged or stale' -- "$H/forge_frame.so"
for m in init_error result ready garbage half; do
	expect_error "forge_$m" Runtime.InvalidResponse '' -- "$H/forge_frame.so" --payload "{\"mode\":\"$m\"}"
done
# ... with other invocations queued behind the forger on the same function
# (reserved concurrency 1, a Map of 11 items): only the forgers fail, the
# others succeed, and nothing hangs. (Before the state table, a forged
# INIT_ERROR failed the next queued invocation and lost the forger's:
# tutti run waited forever.)
if want forge_queued; then
	"$TUTTI" function create forger --code "$H/forge_frame.so" --reserved-concurrency 1 >/dev/null 2>&1
	cat >"$work/forge.json" <<'EOF2'
{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$","End":true,
 "ItemProcessor":{"StartAt":"F","States":{
  "F":{"Type":"Task","Resource":"forger","End":true,
       "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Caught"}]},
  "Caught":{"Type":"Pass","End":true}}}}}}
EOF2
	items='[{"mode":"ok"},{"mode":"init_error"},{"mode":"ok"},{"mode":"result"},{"mode":"ok"},{"mode":"garbage"},{"mode":"ok"},{"mode":"half"},{"mode":"ok"},{"mode":"ready"},{"mode":"ok"}]'
	want_out='["ok","Runtime.InvalidResponse","ok","Runtime.InvalidResponse","ok","Runtime.InvalidResponse","ok","Runtime.InvalidResponse","ok","Runtime.InvalidResponse","ok"]'
	out=$(timeout -k 5 60 "$TUTTI" run "$work/forge.json" --input "$items" 2>"$work/stderr")
	rc=$?
	got=$(jq -c '[.[] | if .ok then "ok" else .error.Error end]' <<<"$out" 2>/dev/null)
	if [ "$rc" = 0 ] && [ "$got" = "$want_out" ]; then
		check forge_queued 0 "forgers Runtime.InvalidResponse, the 6 queued invocations succeeded: $got"
	elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		check forge_queued 1 "runtime bug: tutti run hung (killed after 60 s): a forged frame lost an invocation"
	else
		check forge_queued 1 "expected $want_out, got exit $rc: ${out:0:300} $(head -c 300 "$work/stderr")"
	fi
	"$TUTTI" function delete forger >/dev/null 2>&1
fi

# Files: the mount view.
# Without network nothing of the host's /etc is readable (empty mount
# points for the network files would do); with it, only those files.
view='(.["/"] | split(" ") - ["usr"]) == ["dev","etc","opt","tmp","var"] and .["/dev"] == "null random urandom zero" and .["/var/task"] == "function.so" and .hostname == "tutti" and .uid == 65534 and (.["/etc"] | split(" ") - ["hosts","nsswitch.conf","resolv.conf","ssl"]) == []'
expect_result view_root "$view and .host_bytes == 0" -- "$H/view_root.so"
expect_result view_root_network "$view and .host_bytes > 0" -- "$H/view_root.so" --network
expect_result read_shadow '.["/etc/shadow"] == {"opened":false,"errno":"ENOENT"} and .["/etc/passwd"].errno == "ENOENT"' -- "$H/read_shadow.so"
expect_result open_tutti_home ".[\"$TUTTI_HOME\"] == {\"opened\":false,\"errno\":\"ENOENT\"} and .stat == \"ENOENT\"" -- \
	"$H/open_host_path.so" --env "HOSTILE_PATH=$TUTTI_HOME"
expect_result open_tutti_home_canary '.stat == "ENOENT" and ([.[] | objects | .errno] == ["ENOENT"])' -- \
	"$H/open_host_path.so" --env "HOSTILE_PATH=$TUTTI_HOME/hostile-canary"
expect_result open_other_code ".[\"$ECHO\"] == {\"opened\":false,\"errno\":\"ENOENT\"} and .stat == \"ENOENT\"" -- \
	"$H/open_host_path.so" --env "HOSTILE_PATH=$ECHO"
expect_result open_host_canary '.stat == "ENOENT"' -- "$H/open_host_path.so" --env "HOSTILE_PATH=$work/canary"
expect_result write_outside '[to_entries[] | select(.key != "tmp") | .value] | (length == 11 and all(. == "EROFS"))' -- "$H/write_outside.so"
expect_result write_outside_tmp_ok '.tmp == "0"' -- "$H/write_outside.so"
# A layer is read-only too, and its symlinks resolve inside the sandbox.
mkdir -p "$work/layer/lib"
ln -s /etc/shadow "$work/layer/shadow"
ln -s "$work/canary" "$work/layer/canary"
expect_result layer_read_only '.["mkdir /opt/evil"] == "EROFS"' -- "$H/write_outside.so" --layer-dir "$work/layer"
expect_result layer_symlink_out '.stat == "ENOENT"' -- "$H/open_host_path.so" --layer-dir "$work/layer" --env HOSTILE_PATH=/opt/shadow
expect_result layer_symlink_canary '.stat == "ENOENT"' -- "$H/open_host_path.so" --layer-dir "$work/layer" --env HOSTILE_PATH=/opt/canary
bug="the four device nodes are on the root tmpfs, which is mounted nodev: opening them fails with EACCES"
expect_result devices '. == {"null":"0","zero":"0","urandom":"0","random":"0"}' -- "$H/devices.so"
bug=""
expect_result proc_sys '[.[] | .errno] | (length == 6 and all(. == "ENOENT"))' -- "$H/proc_sys.so"
expect_result dev_mem '[.[] | .errno] | (length == 4 and all(. == "ENOENT"))' -- "$H/dev_mem.so"

# Another environment's /tmp: B looks while A still holds its secret.
if want tmp_other_env; then
	"$TUTTI" invoke "$H/tmp_secret.so" --payload '{"op":"write","ms":1500}' >"$work/writer.out" 2>&1 &
	writer=$!
	await_sandbox
	sleep 0.2
	inv "$H/tmp_secret.so" --payload '{"op":"read"}'
	during=$out
	wait "$writer"
	inv "$H/tmp_secret.so" --payload '{"op":"read"}'
	if [ "$(cat "$work/writer.out")" = '{"wrote":true}' ] &&
		[ "$during" = '{"opened":false,"errno":"ENOENT"}' ] && [ "$out" = "$during" ]; then
		check tmp_other_env 0 "A wrote /tmp/secret; B saw $during (during and after)"
	else
		check tmp_other_env 1 "writer: $(cat "$work/writer.out"); reader during: $during; after: $out"
	fi
fi

# Network: off means the empty namespace — nothing reachable, not even the
# host's loopback or its abstract unix sockets.
# (No AF_INET socket at all without network: see socket_families below.)
expect_result connect_loopback '.socket == false and .errno == "EAFNOSUPPORT"' -- \
	"$H/connect_tcp.so" --payload "{\"host\":\"127.0.0.1\",\"port\":$port}"
if want connect_loopback; then
	n=$(grep -c tcp "$work/listener.log")
	if [ "$n" = 0 ]; then
		check listener_saw_nothing 0 "no TCP connection reached 127.0.0.1:$port"
	else
		check listener_saw_nothing 1 "the listener accepted $n TCP connection(s)"
	fi
fi
expect_result connect_abstract_unix '.connected == false and .errno == "ECONNREFUSED"' -- \
	"$H/abstract_unix.so" --payload "{\"name\":\"$abstract\"}"
if want connect_abstract_unix; then
	n=$(grep -c unix "$work/listener.log")
	if [ "$n" = 0 ]; then
		check abstract_saw_nothing 0 "no connection reached @$abstract"
	else
		check abstract_saw_nothing 1 "the listener accepted $n unix connection(s)"
	fi
fi
# The documented limit, as a control that the listener works: with
# --network the function is on the host's network, loopback included.
expect_result network_on_reaches_loopback '.connected == true' -- \
	"$H/connect_tcp.so" --network --payload "{\"host\":\"127.0.0.1\",\"port\":$port}"

# Socket families: AF_UNIX always, AF_INET/AF_INET6 only with --network,
# nothing else ever (vsock shares the VM's port space with the host; netlink,
# packet, alg, key reach kernel interfaces): EAFNOSUPPORT, also for a family
# smuggled in the upper half of the register.
refused='.AF_NETLINK == "EAFNOSUPPORT" and .AF_VSOCK == "EAFNOSUPPORT" and .AF_PACKET == "EAFNOSUPPORT" and .AF_ALG == "EAFNOSUPPORT" and .AF_KEY == "EAFNOSUPPORT" and .AF_UNSPEC == "EAFNOSUPPORT" and .family_200 == "EAFNOSUPPORT" and .upper_vsock == "EAFNOSUPPORT" and .upper_unix == "EAFNOSUPPORT" and .vsock_listen == null and .AF_UNIX == "0" and .socketpair_unix == "0"'
expect_result socket_families "$refused and .AF_INET == \"EAFNOSUPPORT\" and .AF_INET6 == \"EAFNOSUPPORT\"" -- "$H/socket_families.so"
expect_result socket_families_network "$refused and .AF_INET == \"0\" and .AF_INET6 == \"0\"" -- "$H/socket_families.so" --network

# Signals: another sandbox by its host pid, everything (-1), pid 1, and
# the parent. The victim is a sleep.so invocation running alongside, in
# the same process group as the attacker (as every environment of one
# tutti process is: serve, or run with a Parallel state); it sleeps long
# enough for the four checks at the pace of the last check, then must end
# normally.
if want kill_; then
	victim_ms=$((2000 + 6 * (last_ms > 300 ? last_ms : 300)))
	"$TUTTI" invoke "$SLEEP" --timeout 60 --payload "{\"ms\":$victim_ms}" >"$work/victim.out" 2>&1 &
	victim=$!
	await_sandbox && vpid=${sandbox_now%%,*} || vpid=""
	bg_roots+="$victim " # its processes come and go on their own
	alive() {
		sleep 0.1 # a SIGKILL is delivered by now
		[ -n "$vpid" ] && grep -qs '^Uid:[[:space:]]*65534' "/proc/$vpid/status"
	}
	if [ -z "$vpid" ]; then
		check kill_other_sandbox 1 "the sleep.so victim never started: $(cat "$work/victim.out")"
	else
		expect_violation kill_other_sandbox kill -- "$H/kill_pid.so" --payload "{\"pid\":$vpid}"
		alive || fail kill_other_sandbox "the victim (pid $vpid) is gone"
		expect_violation kill_minus_one kill -- "$H/kill_pid.so" --payload '{"pid":-1}'
		alive || fail kill_minus_one "the victim (pid $vpid) is gone"
		# pid 1 is the environment itself: it dies as it asked (or, as
		# pid 1 of its namespace, shrugs the signal off); nobody else may.
		if want kill_pid1; then
			inv "$H/kill_pid.so" --payload '{"pid":1}'
			if alive && { [ "$etype" = Runtime.ExitError ] || [[ $out == *'"kill":0'* ]]; }; then
				check kill_pid1 0 "${emsg:-result $out}; the other sandbox lives"
			else
				check kill_pid1 1 "got exit $rc: $out; the other sandbox $(alive && echo lives || echo "is gone")"
			fi
		fi
		if want kill_parent; then
			inv "$H/kill_parent.so"
			if alive; then
				check kill_parent 0 "${emsg:-result $out}; the other sandbox lives"
			elif [ "$(cat "$work/victim.out")" = "{\"ms\":$victim_ms}" ]; then
				check kill_parent 1 "inconclusive: the victim finished before the check (a very slow machine?)"
			else
				check kill_parent 1 "runtime bug: the other sandbox (pid $vpid) died. getppid() is 0 in the sandbox's PID namespace, so kill(getppid(), SIGKILL) is kill(0, SIGKILL): the filter allows it (kill pid <= 1) and it signals the whole process group the environment inherited from tutti, other environments (uid 65534) included. Result: $out"
			fi
		fi
		wait "$victim"
		vout=$(cat "$work/victim.out")
		bg_roots=${bg_roots/ $victim / }
		if [ "$vout" = "{\"ms\":$victim_ms}" ]; then
			check kill_victim_result 0 "the other sandbox's invocation ended normally: $vout"
		else
			check kill_victim_result 1 "the other sandbox's invocation: $vout"
		fi
	fi
fi

# Resources.
if want oom; then
	inv "$H/oom.so" --memory 128
	if [ "$rc" = 1 ] && [ "$etype" = Runtime.OutOfMemory ]; then
		check oom 0 "Runtime.OutOfMemory: $emsg"
	elif [[ $err == *"cgroups unusable"* ]] && [ "$rc" = 0 ] && jq -e '.allocated_mb <= 128' <<<"$out" >/dev/null; then
		check oom 0 "no cgroups here: RLIMIT_AS stopped it at $out"
	else
		check oom 1 "expected Runtime.OutOfMemory, got exit $rc: $out ${err:0:200}"
	fi
fi
if want fill_tmp; then
	before=$(mem_usage)
	inv "$H/fill_tmp.so" --memory 128
	after=$(mem_usage)
	if { [ "$rc" = 1 ] && [ "$etype" = Runtime.OutOfMemory ]; } ||
		{ [ "$rc" = 0 ] && jq -e '.errno != "0" and .written_mb <= 512' <<<"$out" >/dev/null; }; then
		if [ $((after - before)) -lt $((64 << 20)) ]; then
			check fill_tmp 0 "${out:0:160}; the test cgroup's memory back to +$(((after - before) >> 20)) MiB"
		else
			check fill_tmp 1 "${out:0:160}; but $(((after - before) >> 20)) MiB still charged after the environment ended"
		fi
	else
		check fill_tmp 1 "expected Runtime.OutOfMemory or a short write, got exit $rc: $out"
	fi
fi
if want spin_timeout; then
	start=$EPOCHREALTIME
	inv "$H/spin.so" --timeout 1
	elapsed "$start"
	if [ "$rc" = 1 ] && [ "$etype" = Sandbox.Timedout ] && [ "$ms" -lt 5000 ]; then
		check spin_timeout 0 "Sandbox.Timedout after ${ms} ms: $emsg"
	else
		check spin_timeout 1 "expected Sandbox.Timedout within 5 s, got exit $rc after ${ms} ms: $out"
	fi
fi
if want flood_stdout; then
	# tutti's peak RSS (and its children's) via getrusage in a wrapper.
	start=$EPOCHREALTIME
	out=$(timeout -k 5 60 python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, stderr=open(sys.argv[1], "wb"))
sys.stdout.write(r.stdout.decode())
sys.stderr.write("%d %d\n" % (r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
' "$work/flood.log" "$TUTTI" invoke "$H/flood_stdout.so" --payload '{"mb":200}' --log 2>"$work/flood.rss")
	elapsed "$start"
	read -r rc rss_kb <"$work/flood.rss"
	logsz=$(wc -c <"$work/flood.log")
	tailok=$(tail -c 13 "$work/flood.log")
	if { [ "$rc" = 0 ] && [ "$out" = '{"written_mb":200}' ] && [ "$tailok" = "END-OF-FLOOD" ]; } ||
		{ [ "$rc" = 1 ] && [ "$etype" = Sandbox.Timedout ]; }; then
		if [ "$logsz" -le 4097 ] && [ "$rss_kb" -lt $((rss_cap_mb * 1024)) ]; then
			check flood_stdout 0 "200 MiB in ${ms} ms: $out; log tail ${logsz} bytes; peak RSS $((rss_kb / 1024)) MiB"
		else
			check flood_stdout 1 "log tail ${logsz} bytes (cap 4 KiB), peak RSS $((rss_kb / 1024)) MiB (cap $rss_cap_mb)"
		fi
	else
		check flood_stdout 1 "expected completion or Sandbox.Timedout, got exit $rc: ${out:0:200}; tail '$tailok'"
	fi
fi

# Crashes and misbehaving handlers. (Under ASan the sanitizer catches the
# crash and exits 1, and exit() runs LeakSanitizer, whose thread-stopping
# clone is a forbidden call.)
expect_error stack_overflow Runtime.ExitError '' -- "$H/stack_overflow.so"
expect_error abort Runtime.ExitError '' -- "$H/abort.so"
if [[ $BUILD == *asan* ]] && want exit_midway; then
	inv "$H/exit_midway.so"
	if [ "$rc" = 1 ] && { [ "$etype" = Runtime.ExitError ] || [ "$etype" = Runtime.SandboxViolation ]; }; then
		check exit_midway 0 "$etype: $emsg (ASan build: LeakSanitizer at exit)"
	else
		check exit_midway 1 "expected Runtime.ExitError, got exit $rc: $out"
	fi
else
	expect_error exit_midway Runtime.ExitError 'exit status 3' -- "$H/exit_midway.so"
fi
if want raise_sigkill; then
	inv "$H/raise_kill.so"
	if [ "$rc" = 1 ] && [ "$etype" = Runtime.ExitError ]; then
		check raise_sigkill 0 "Runtime.ExitError: $emsg"
	else
		check raise_sigkill 1 "runtime bug: raise(SIGKILL) did not end the function (exit $rc: $out): the environment is pid 1 of its PID namespace, and the kernel drops signals with default action that init sends itself (SIGKILL, SIGTERM, SIGABRT: abort() only dies through its fallback SIGSEGV)"
	fi
fi
expect_error handler_fails Runtime.HandlerFailed 'returned 7' -- "$H/handler_fails.so"
expect_error no_handler Runtime.HandlerNotFound "'handler'" -- "$H/no_handler.so"
expect_error handler_is_libc Runtime.HandlerNotFound "'system'" -- "$ECHO" --handler system
expect_error init_raises Runtime.InitError 'Hostile.InitBoom' -- "$H/init_raises.so"
head -c 4096 /dev/urandom >"$work/random.so"
expect_error not_elf Runtime.ImportModuleError 'ELF|too short' -- "$work/random.so"
echo "just text" >"$work/text.so"
expect_error text_so Runtime.ImportModuleError 'ELF|too short' -- "$work/text.so"
expect_error bad_json Runtime.InvalidResponse 'invalid JSON' -- "$H/bad_json.so"
expect_error bad_utf8 'Hostile.Utf8?' '^half \? and C1 \?\? end$' -- "$H/bad_utf8.so"
# ... and in a workflow its error is caught like any other (it was
# "States.Runtime: out of memory", which no Catch takes).
if want bad_utf8_catch; then
	cat >"$work/catch.json" <<'JSON'
{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
 "Parameters":{"FunctionName":"bad","Payload.$":"$"},
 "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.caught","Next":"C"}],"End":true},
 "C":{"Type":"Pass","End":true}}}
JSON
	out=$("$TUTTI" run "$work/catch.json" --function bad="$H/bad_utf8.so" 2>"$work/run.err") && rc=0 || rc=$?
	if [ "$rc" = 0 ] && jq -e '.caught.Error == "Hostile.Utf8?"' <<<"$out" >/dev/null 2>&1; then
		check bad_utf8_catch 0 "caught: ${out:0:200}"
	else
		check bad_utf8_catch 1 "expected the error caught, got exit $rc: ${out:0:300} $(head -c 200 "$work/run.err")"
	fi
fi
expect_error huge_result Runtime.ResponseSizeTooLarge '10485760' -- "$H/huge_result.so"

# Requests over the 6 MiB limit: one byte over, and well over.
python3 -c 'import sys; sys.stdout.write("\"" + "a" * (6 * 1024 * 1024 - 1) + "\"")' >"$work/p6"
expect_error request_6mib_plus_1 Runtime.RequestTooLarge '6291457' -- "$ECHO" --payload "@$work/p6"
if want request_7mib; then
	python3 -c 'import sys; sys.stdout.write("\"" + "a" * (7 * 1024 * 1024) + "\"")' >"$work/p7"
	inv "$ECHO" --payload "@$work/p7"
	if [ "$rc" = 1 ] && [ "$etype" = Runtime.RequestTooLarge ]; then
		check request_7mib 0 "Runtime.RequestTooLarge: $emsg"
	elif [ "$rc" = 2 ] && [[ $err == *"larger than the limit"* ]]; then
		# The CLI refuses to read it at all (a usage error); not a hole.
		check request_7mib 0 "refused by the CLI before any invocation (exit 2: $err)"
	else
		check request_7mib 1 "expected Runtime.RequestTooLarge, got exit $rc: ${out:0:200} $err"
	fi
fi

if want init_spin; then
	wait "$init_spin"
	bg_roots=${bg_roots/ $init_spin / }
	IFS= read -r t_end <"$work/init_spin.end"
	ms=$(((${t_end/[.,]/} - ${init_start/[.,]/}) / 1000))
	out=$(<"$work/init_spin.out")
	parse_error "$out"
	if [ "$etype" = Runtime.InitError ] && [ "$ms" -lt 15000 ]; then
		check init_spin 0 "Runtime.InitError after ${ms} ms (started first, ran alongside): $emsg"
	else
		check init_spin 1 "expected Runtime.InitError after ~10 s, got after ${ms} ms: $out"
	fi
fi

# ---- 5. summary -------------------------------------------------------------
echo "---- $passed passed, $failed failed"
[ "$failed" = 0 ]
