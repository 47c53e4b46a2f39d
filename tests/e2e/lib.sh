# tests/e2e/lib.sh — helpers every end-to-end script sources:
#   . "$(dirname "$0")/lib.sh"; e2e_init NAME
# Needs $TUTTI, $TUTTI_TOP and a fresh $TUTTI_HOME (scripts/run-e2e.sh sets
# them). Exit codes of a script: 0 passed, 1 failed, 77 skipped (the last
# line printed says why: scripts/run-e2e.sh shows it as SKIP).
set -euo pipefail
: "${TUTTI:?}" "${TUTTI_TOP:?}" "${TUTTI_HOME:?}"
BUILD=${BUILD:-build}
FN="$TUTTI_TOP/$BUILD/functions"
E2E_PIDS=()

# e2e_init NAME: a scratch directory $W (removed at exit, with every
# background process registered by e2e_bg).
e2e_init() {
  W=$(mktemp -d "/tmp/tutti-$1.XXXXXX")
  trap e2e_cleanup EXIT
}
e2e_cleanup() {
  local p
  for p in "${E2E_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$W"
}
# e2e_bg CMD...: start CMD in the background, killed at exit; pid in $!.
e2e_bg() { "$@" & E2E_PIDS+=("$!"); }

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
step() { echo "--- $*"; }
# skip REASON: the whole script cannot run here (exit 77, never a pass).
skip() { echo "SKIP: $*"; exit 77; }
# need CMD...: skip unless every command exists.
need() { local c; for c in "$@"; do command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"; done; }

# run RC CMD...: run CMD, require exit code RC; stdout in $W/out, stderr in $W/err.
run() {
  local want=$1 rc=0; shift
  "$@" >"$W/out" 2>"$W/err" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "--- stdout"; cat "$W/out"; echo "--- stderr"; cat "$W/err"
    fail "'$*' exited $rc, expected $want"
  fi
}
# refused MESSAGE CMD...: exit 2, MESSAGE (fixed string) on stderr, stdout empty.
refused() {
  local msg=$1; shift
  run 2 "$@"
  grep -qF -- "$msg" "$W/err" || { cat "$W/err"; fail "'$*': stderr lacks '$msg'"; }
  [ ! -s "$W/out" ] || fail "'$*' printed on stdout"
}
# field JQ: a field of the last run's stdout.
field() { jq -r "$1" "$W/out"; }
# is GOT WANT WHAT
is() { [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"; }
# same EXPECTED_JSON: the last run's stdout is exactly that JSON value (semantically).
same() {
  jq -e -n --slurpfile a "$W/out" --argjson e "$1" '($a | length) == 1 and $a[0] == $e' >/dev/null ||
    fail "stdout is $(cat "$W/out"), expected $1"
}

# Scripts of many independent checks record each result and go on, then
# end with checks_done (exit 1 if any failed):
#   check_pass NAME DETAIL, check_fail NAME DETAIL, checks_done
E2E_FAILS=0
check_pass() { echo "PASS  $1: $2"; }
check_fail() { echo "FAIL  $1: $2"; E2E_FAILS=$((E2E_FAILS + 1)); }
checks_done() { echo "---- $E2E_FAILS failed"; [ "$E2E_FAILS" = 0 ]; }

# sandbox_procs: " PID(comm)" of each process running as the sandbox user
# (65534) or a zygote (comm tutti-zygote*) that this shell can see.
sandbox_procs() {
  local p uid comm out=""
  for p in /proc/[0-9]*; do
    uid=$(awk '/^Uid:/ { print $2 }' "$p/status" 2>/dev/null) || continue
    comm=$(cat "$p/comm" 2>/dev/null) || continue
    if [ "$uid" = 65534 ] || [[ $comm == tutti-zygote* ]]; then out+=" ${p#/proc/}($comm)"; fi
  done
  echo "$out"
}
