#!/usr/bin/env bash
# End to end: environments die with their tutti. For each of SIGTERM,
# SIGKILL, SIGINT and SIGHUP: start `tutti invoke spin.so` (a handler that
# spins; function timeout 3 s), wait until its environment runs (a process
# of the sandbox uid), kill tutti with the signal, and check that within
# ~1 s no process of the environment (uid 65534) nor the zygote remains.
# Runs in a PID namespace of its own (unshare -pf --mount-proc), so the
# processes it counts are its own and nothing outlives the test.
# Needs $TUTTI, $TUTTI_TOP, $BUILD, a fresh $TUTTI_HOME, root, unshare.
. "$(dirname "$0")/lib.sh"
set +e
SPIN="$TUTTI_TOP/$BUILD/hostile/spin.so"
if [ -z "${TUTTI_LIFETIME_INNER:-}" ]; then
	need unshare
	TUTTI_LIFETIME_INNER=1 exec unshare -pf --mount-proc --kill-child bash "$0" "$@"
fi
envs_running() { local p; for p in /proc/[0-9]*; do
	[ "$(awk '/^Uid:/ { print $2 }' "$p/status" 2>/dev/null)" = 65534 ] && return 0; done; return 1; }

for sig in TERM KILL INT HUP; do
	"$TUTTI" invoke "$SPIN" >/dev/null 2>&1 &
	t=$!
	for ((i = 0; i < 100; i++)); do envs_running && break; sleep 0.02; done
	if ! envs_running; then
		check_fail "SIG$sig" "the environment never started"; kill -KILL $t; wait $t; continue
	fi
	kill -"$sig" $t
	wait $t 2>/dev/null
	left=""
	for ((i = 0; i < 50; i++)); do left=$(sandbox_procs); [ -z "$left" ] && break; sleep 0.02; done
	if [ -z "$left" ]; then
		check_pass "SIG$sig" "nothing of the environment or the zygote left after $((i * 20)) ms"
	else
		check_fail "SIG$sig" "left after 1 s:$left"
		for p in $left; do kill -KILL "${p%%(*}" 2>/dev/null; done
	fi
done
checks_done
