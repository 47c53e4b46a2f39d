#!/usr/bin/env bash
# A full disk under a running tutti serve: $TUTTI_HOME on a 6 MiB tmpfs (in
# a mount namespace of its own), filled while executions run. Transitions
# that cannot be kept fail cleanly (StoreFull, nothing half-written), the
# server keeps answering, a start is refused with a named error, and once
# space is back every execution resumes from its last kept checkpoint and
# ends with the right output and a well-formed history.
. "$(dirname "$0")/lib.sh"
e2e_init serve_disk_full
need jq python3 curl unshare
[ "$(id -u)" = 0 ] || skip "needs root (a tmpfs in a mount namespace)"

if [ -z "${IN_NS:-}" ]; then
  exec unshare -m --propagation private env IN_NS=1 bash "$0" "$@"
fi
mkdir -p "$W/home"
mount -t tmpfs -o size=6m,mode=0700 tmpfs "$W/home" || skip "cannot mount a tmpfs"
trap 'e2e_cleanup_fs' EXIT
e2e_cleanup_fs() { local p; for p in "${E2E_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; umount "$W/home" 2>/dev/null || true; e2e_cleanup; }
export TUTTI_HOME="$W/home"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export TUTTI_ENDPOINT="http://127.0.0.1:$PORT"
TUTTI_LOG=${TUTTI_LOG:-info} "$TUTTI" serve --listen "127.0.0.1:$PORT" 2>"$W/serve.log" &
SERVE_PID=$!
E2E_PIDS+=("$SERVE_PID")
for _ in $(seq 200); do curl -sf "$TUTTI_ENDPOINT/health" >/dev/null 2>&1 && break; sleep 0.05; done

cat >"$W/sm.json" <<'EOF'
{"StartAt": "A", "States": {
  "A": {"Type": "Pass", "Parameters": {"n.$": "$.n", "pad.$": "States.ArrayRange(1, 300, 1)"}, "Next": "W"},
  "W": {"Type": "Wait", "Seconds": 2, "Next": "B"},
  "B": {"Type": "Pass", "Parameters": {"n.$": "$.n", "len.$": "States.ArrayLength($.pad)"}, "Next": "W2"},
  "W2": {"Type": "Wait", "Seconds": 1, "End": true}}}
EOF
run 0 "$TUTTI" state-machine create full --definition "$W/sm.json"
for i in $(seq 20); do run 0 "$TUTTI" execution start full --name "x$i" --input "{\"n\": $i}"; done

step "fill the disk while they wait"
dd if=/dev/zero of="$TUTTI_HOME/filler" bs=16k 2>/dev/null || true
sleep 3
curl -sf "$TUTTI_ENDPOINT/health" >/dev/null || fail "the server stopped answering on a full disk"
grep -q "StoreFull\|not kept" "$W/serve.log" || { cat "$W/serve.log"; fail "no transition failed: the disk was not full?"; }
run 1 "$TUTTI" execution start full --name refused --input '{"n": 0}'
grep -q "StoreFull\|StoreIO" "$W/err" || fail "a start on a full disk: $(cat "$W/err")"
run 0 "$TUTTI" execution list --state-machine full --output json
ok "a full disk: transitions refused, the server answers, reads work"

step "free the space: everything resumes"
rm -f "$TUTTI_HOME/filler"
for _ in $(seq 300); do
  left=$("$TUTTI" execution list --state-machine full --status RUNNING --output json | jq '.executions | length')
  [ "$left" = 0 ] && break
  sleep 0.1
done
[ "$left" = 0 ] || { cp "$W/serve.log" /tmp/full-serve.log; df -h "$TUTTI_HOME" >> /tmp/full-serve.log; ls -la "$TUTTI_HOME" >> /tmp/full-serve.log; fail "$left executions still RUNNING"; }
for i in $(seq 20); do
  arn="arn:aws:states:local:000000000000:execution:full:x$i"
  run 0 "$TUTTI" execution describe "$arn"
  is "$(field .status)" SUCCEEDED "x$i"
  is "$(field .output | jq -c .)" "{\"n\":$i,\"len\":300}" "x$i output"
  run 0 "$TUTTI" execution history "$arn" --output json
  jq -e '[.events[].id] == [range(1; (.events | length) + 1)]' "$W/out" >/dev/null || fail "x$i history ids"
  is "$(jq '[.events[] | select(.type | endswith("StateEntered"))] | length' "$W/out")" 4 "x$i states entered"
done
kill -TERM "$SERVE_PID"; wait "$SERVE_PID" || fail "SIGTERM"
ok "every execution ended as it should after the disk was full"
