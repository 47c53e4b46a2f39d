#!/usr/bin/env bash
# End-to-end: tutti function create|get|list|versions|update|delete, every
# validation error with its exit code and message, and that a refused
# create stores nothing. Needs $TUTTI, $TUTTI_TOP, a fresh $TUTTI_HOME.
. "$(dirname "$0")/lib.sh"
e2e_init fn

sha_b64() { openssl dgst -sha256 -binary "$1" | base64; }

# --- functions to register -------------------------------------------------
cat >"$W/v1.c" <<'EOF'
#include <tutti.h>
int handler(tt_ctx *ctx, const char *ev, size_t n) { (void)ev; (void)n; return tt_return(ctx, "{\"v\":1}", 0); }
EOF
sed 's/"v\\":1/"v\\":2/' "$W/v1.c" >"$W/v2.c"
cat >"$W/entry.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <tutti.h>
int entry(tt_ctx *ctx, const char *ev, size_t n)
{
	char out[256];
	const char *g = getenv("GREETING");
	(void)ev; (void)n;
	snprintf(out, sizeof out, "{\"greeting\":\"%s\"}", g ? g : "");
	return tt_return(ctx, out, 0);
}
EOF
cat >"$W/nohandler.c" <<'EOF'
#include <tutti.h>
int something_else(tt_ctx *ctx, const char *ev, size_t n) { (void)ev; (void)n; return tt_return(ctx, "1", 0); }
EOF
for f in v1 v2 entry nohandler; do
  cc -shared -fPIC -I"$TUTTI_TOP/include" -o "$W/$f.so" "$W/$f.c"
done
echo "this is not an ELF object" >"$W/notelf.so"

# --- create, get, list ----------------------------------------------------
run 0 "$TUTTI" function create f --code "$W/v1.so"
is "$(field .FunctionName)" f "create: FunctionName"
is "$(field .Version)" 1 "create: Version"
is "$(field .FunctionArn)" "arn:aws:lambda:local:000000000000:function:f:1" "create: FunctionArn"
is "$(field .Handler)" handler "create: Handler"
is "$(field .Timeout)" 3 "create: Timeout"
is "$(field .MemorySize)" 128 "create: MemorySize"
is "$(field .EphemeralStorage.Size)" 512 "create: EphemeralStorage"
is "$(field .State)" Active "create: State"
is "$(field .CodeSha256)" "$(sha_b64 "$W/v1.so")" "create: CodeSha256"
is "$(field .CodeSize)" "$(stat -c %s "$W/v1.so")" "create: CodeSize"
is "$(field '.Environment.Variables | length')" 0 "create: no variables"
is "$(field '.Layers | length')" 0 "create: no layers"

# Stored by content, 0644, byte for byte.
hex=$(sha256sum "$W/v1.so" | cut -d' ' -f1)
stored="$TUTTI_HOME/code/$hex.so"
[ -f "$stored" ] || fail "code not stored as $stored"
is "$(stat -c %a "$stored")" 644 "stored code mode"
cmp -s "$stored" "$W/v1.so" || fail "stored code differs"
[ -f "$TUTTI_HOME/functions/f/versions/1.json" ] || fail "no version record"

run 0 "$TUTTI" function get f
is "$(field .Version)" '$LATEST' "get f: Version"
is "$(field .FunctionArn)" "arn:aws:lambda:local:000000000000:function:f" "get f: FunctionArn"
run 0 "$TUTTI" function get 'f:$LATEST'
is "$(field .Version)" '$LATEST' "get f:\$LATEST"
run 0 "$TUTTI" function get f:1
is "$(field .Version)" 1 "get f:1"
run 0 "$TUTTI" function get arn:aws:lambda:us-east-1:123456789012:function:f:1
is "$(field .FunctionName)" f "get by ARN"
run 0 "$TUTTI" function list
is "$(field '.Functions | length')" 1 "list: count"
is "$(field '.Functions[0].Version')" '$LATEST' "list: shows \$LATEST"

run 0 "$TUTTI" invoke f
is "$(jq -c . "$W/out")" '{"v":1}' "invoke f"

# --- update: a new version; unspecified settings are kept ---------------------
run 0 "$TUTTI" function update f --code "$W/v2.so" --timeout 10 --env A=1 --env B=2 \
  --description "second" --tmp 1024 --reserved-concurrency 3 --network
is "$(field .Version)" 2 "update: Version"
is "$(field .Timeout)" 10 "update: Timeout"
is "$(field .Environment.Variables.B)" 2 "update: env"
is "$(field .CodeSha256)" "$(sha_b64 "$W/v2.so")" "update: new code"
is "$(field .ReservedConcurrentExecutions)" 3 "update: reserved concurrency"
is "$(field .Network)" true "update: network"
run 0 "$TUTTI" function update f --memory=256
is "$(field .Version)" 3 "update 2: Version"
is "$(field .MemorySize)" 256 "update 2: MemorySize"
is "$(field .Timeout)" 10 "update 2 keeps Timeout"
is "$(field .Description)" second "update 2 keeps Description"
is "$(field .EphemeralStorage.Size)" 1024 "update 2 keeps /tmp"
is "$(field .Environment.Variables.A)" 1 "update 2 keeps env"
is "$(field .CodeSha256)" "$(sha_b64 "$W/v2.so")" "update 2 keeps code"
run 0 "$TUTTI" function update f --no-env --no-network
is "$(field '.Environment.Variables | length')" 0 "--no-env"
is "$(field .Network)" false "--no-network"
run 0 "$TUTTI" function get f:1
is "$(field .Timeout)" 3 "version 1 unchanged"
is "$(field .CodeSha256)" "$(sha_b64 "$W/v1.so")" "version 1 keeps its code"
run 0 "$TUTTI" function versions f
is "$(field '[.Versions[].Version] | join(",")')" '$LATEST,1,2,3,4' "versions"

run 0 "$TUTTI" invoke f
is "$(jq -c . "$W/out")" '{"v":2}' "invoke f after update"
run 0 "$TUTTI" invoke f:1
is "$(jq -c . "$W/out")" '{"v":1}' "invoke f:1"

# --- handler and environment reach the function ------------------------------
run 0 "$TUTTI" function create g --code "$W/entry.so" --handler entry --env GREETING=hello
run 0 "$TUTTI" invoke g
is "$(jq -r .greeting "$W/out")" hello "handler + env seen by the function"

# --- refusals: exit 2, a message, nothing stored ----------------------------------
codes_before=$(ls "$TUTTI_HOME/code" | wc -l)
big=$(head -c 5000 /dev/zero | tr '\0' x)
refused "ResourceConflictException" "$TUTTI" function create f --code "$W/v1.so"
refused "needs --code" "$TUTTI" function create h
refused "No such file" "$TUTTI" function create h --code "$W/missing.so"
refused "not a regular file" "$TUTTI" function create h --code "$W"
refused "Runtime.ImportModuleError" "$TUTTI" function create h --code "$W/notelf.so"
# the refusal names the file given, not the path inside the sandbox
refused "cannot load the function: $W/notelf.so: file too short" "$TUTTI" function create h --code "$W/notelf.so"
refused "Runtime.HandlerNotFound" "$TUTTI" function create h --code "$W/nohandler.so"
refused "Runtime.HandlerNotFound" "$TUTTI" function create h --code "$W/v1.so" --handler nope
refused "invalid handler" "$TUTTI" function create h --code "$W/v1.so" --handler 'a-b'
refused "timeout must be 1-900" "$TUTTI" function create h --code "$W/v1.so" --timeout 0
refused "timeout must be 1-900" "$TUTTI" function create h --code "$W/v1.so" --timeout 901
refused "--timeout expects" "$TUTTI" function create h --code "$W/v1.so" --timeout 3s
refused "memory must be 128-10240" "$TUTTI" function create h --code "$W/v1.so" --memory 64
refused "memory must be 128-10240" "$TUTTI" function create h --code "$W/v1.so" --memory 10241
refused "must be 512-10240" "$TUTTI" function create h --code "$W/v1.so" --tmp 100
refused "reserved concurrency" "$TUTTI" function create h --code "$W/v1.so" --reserved-concurrency 5000
refused "invalid environment variable" "$TUTTI" function create h --code "$W/v1.so" --env NOEQUALS
refused "invalid environment variable" "$TUTTI" function create h --code "$W/v1.so" --env 1X=y
refused "reserved" "$TUTTI" function create h --code "$W/v1.so" --env AWS_REGION=x
refused "exceed 4096 bytes" "$TUTTI" function create h --code "$W/v1.so" --env "K=$big"
refused "Layer version not found" "$TUTTI" function create h --code "$W/v1.so" --layer nosuch
refused "too many --layer (max 5)" "$TUTTI" function create h --code "$W/v1.so" \
  --layer a --layer b --layer c --layer d --layer e --layer f
refused "invalid function name" "$TUTTI" function create 'a b' --code "$W/v1.so"
refused "invalid function name" "$TUTTI" function create "$(printf 'n%.0s' {1..65})" --code "$W/v1.so"
refused "unknown option" "$TUTTI" function create h --code "$W/v1.so" --bogus
refused "unexpected argument" "$TUTTI" function create h extra --code "$W/v1.so"
refused "option '--code' requires an argument" "$TUTTI" function create h --code
# The code file: refused unless regular, bounded by 250 MiB *while* copying
# (/proc files say size 0), never waiting on a FIFO. (timeout: a hang or
# an endless copy fails the check instead of the suite.)
refused "larger than 250 MiB" timeout 60 "$TUTTI" function create h --code /proc/self/pagemap
refused "not a regular file" timeout 20 "$TUTTI" function create h --code /dev/zero
mkfifo "$W/fifo"
refused "not a regular file" timeout 20 "$TUTTI" function create h --code "$W/fifo"
truncate -s 251M "$W/huge.so"
refused "larger than 250 MiB" timeout 20 "$TUTTI" function create h --code "$W/huge.so"
rm -f "$W/huge.so"
[ ! -e "$TUTTI_HOME/functions/h" ] || fail "a refused create left functions/h"
is "$(ls "$TUTTI_HOME/code" | wc -l)" "$codes_before" "a refused create left code"
is "$(ls -A "$TUTTI_HOME/opt" | wc -l)" 0 "a refused create left an /opt view"
# A refused update publishes nothing either.
refused "Runtime.ImportModuleError" "$TUTTI" function update f --code "$W/notelf.so"
refused "ResourceNotFoundException" "$TUTTI" function update nosuch --timeout 5
run 0 "$TUTTI" function versions f
is "$(field '.Versions | length')" 5 "refused update published nothing"

# --- lookups that fail ---------------------------------------------------------------
refused "ResourceNotFoundException" "$TUTTI" function get nosuch
refused "Function not found: arn:aws:lambda:local:000000000000:function:f:9" "$TUTTI" function get f:9
refused "ResourceNotFoundException" "$TUTTI" function get f:prod
refused "InvalidParameterValueException" "$TUTTI" function get f:0
refused "usage" "$TUTTI" function get
refused "unknown subcommand" "$TUTTI" function frobnicate
refused "missing subcommand" "$TUTTI" function
run 0 "$TUTTI" function --help
grep -q "function create NAME --code" "$W/out" || fail "help text"

# --- delete -------------------------------------------------------------------------
refused "ResourceConflictException" "$TUTTI" function delete f:4
refused "InvalidParameterValueException" "$TUTTI" function delete 'f:$LATEST'
run 0 "$TUTTI" function delete f:1
[ ! -s "$W/out" ] || fail "delete printed something"
refused "ResourceNotFoundException" "$TUTTI" function get f:1
[ ! -e "$stored" ] || fail "code of the deleted version was not collected"
run 0 "$TUTTI" function delete f
refused "ResourceNotFoundException" "$TUTTI" function get f
refused "ResourceNotFoundException" "$TUTTI" function delete f
run 0 "$TUTTI" function list
is "$(field '[.Functions[].FunctionName] | join(",")')" g "list after delete"
run 0 "$TUTTI" function create f --code "$W/v1.so"
is "$(field .Version)" 1 "a re-created function starts at 1"

# --- the code file is opened once: a symlink swapped between a .so and
# /dev/zero while creates run is either refused (it pointed at /dev/zero
# when opened) or stores exactly v1.so, never copies /dev/zero.
if command -v python3 >/dev/null; then
  ln -s "$W/v1.so" "$W/swap.so"
  e2e_bg python3 -c '
import os, sys, time
d, end = sys.argv[1], time.monotonic() + 120
while os.path.isdir(d) and not os.path.exists(d + "/swap.stop") and time.monotonic() < end:
    for t in ("/dev/zero", d + "/v1.so"):
        try:
            os.symlink(t, d + "/swap.tmp"); os.replace(d + "/swap.tmp", d + "/swap.so")
        except OSError:
            pass
' "$W"
  swapper=$!
  v1sha=$(sha_b64 "$W/v1.so") stored=0 refusals=0
  for i in $(seq 1 20); do
    rc=0
    timeout 30 "$TUTTI" function create "swap$i" --code "$W/swap.so" >"$W/out" 2>"$W/err" || rc=$?
    case $rc in
    0) is "$(field .CodeSha256)" "$v1sha" "swapped symlink: stored code"; stored=$((stored + 1))
       run 0 "$TUTTI" function delete "swap$i" ;;
    2) grep -qF "not a regular file" "$W/err" || { cat "$W/err"; fail "swapped symlink: refusal $i"; }
       refusals=$((refusals + 1)) ;;
    *) cat "$W/err"; fail "swapped symlink: create $i exited $rc (124: hung copying /dev/zero)" ;;
    esac
  done
  touch "$W/swap.stop"
  wait "$swapper" 2>/dev/null || true
  echo "swapped symlink: $stored stored as v1.so, $refusals refused"
else
  echo "SKIP swapped symlink: python3 not found (the swapper)"
fi

# Deterministically: hold the registry's lock (a POSIX record lock) so that
# the create has opened its code and waits for the lock, then point the
# symlink at v2.so: what is stored must still be v1.so.
if command -v python3 >/dev/null; then
  ln -sfn "$W/v1.so" "$W/held.so"
  e2e_bg python3 -c '
import fcntl, os, sys, time
f = open(sys.argv[1], "r+")
fcntl.lockf(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
while not os.path.exists(sys.argv[3]):
    time.sleep(0.02)
' "$TUTTI_HOME/.registry.lock" "$W/held" "$W/release"
  holder=$!
  for i in $(seq 1 250); do [ -e "$W/held" ] && break; sleep 0.02; done
  timeout 30 "$TUTTI" function create held --code "$W/held.so" >"$W/held.out" 2>"$W/held.err" &
  creator=$!
  sleep 0.5   # it has opened held.so (v1.so) and waits for the lock
  ln -sfn "$W/v2.so" "$W/held.so"
  touch "$W/release"
  rc=0; wait "$creator" || rc=$?
  wait "$holder" 2>/dev/null || true
  [ "$rc" = 0 ] || { cat "$W/held.err"; fail "create under a held lock exited $rc"; }
  is "$(jq -r .CodeSha256 "$W/held.out")" "$(sha_b64 "$W/v1.so")" \
    "code swapped while the create waited for the lock: stored"
  run 0 "$TUTTI" function delete held
fi

# --- concurrent updates from several processes ------------------------------------------
for i in 1 2 3 4 5 6; do
  "$TUTTI" function update f --timeout $((10 + i)) >"$W/c$i.out" 2>"$W/c$i.err" &
done
wait
for i in 1 2 3 4 5 6; do
  jq -e .Version "$W/c$i.out" >/dev/null || { cat "$W/c$i.err"; fail "concurrent update $i"; }
done
is "$(cat "$W"/c*.out | jq -r .Version | sort -n | tr '\n' ,)" "2,3,4,5,6,7," "concurrent versions"
run 0 "$TUTTI" function versions f
is "$(field '.Versions | length')" 8 "versions after concurrent updates"
# --- invoke --log: a function's escape sequences never reach a terminal
# raw (\xHH there); piped or redirected output is unchanged.
cat >"$W/esc.c" <<'EOF'
#include <stdio.h>
#include <tutti.h>
int handler(tt_ctx *ctx, const char *ev, size_t n)
{
	(void)ev; (void)n;
	printf("title\033]0;pwned\007clear\033[2Jcsi\2331mend caf\303\251\tok\r\n");
	return tt_return(ctx, "1", 0);
}
EOF
cc -shared -fPIC -I"$TUTTI_TOP/include" -o "$W/esc.so" "$W/esc.c"
run 0 "$TUTTI" invoke "$W/esc.so" --log
printf 'title\033]0;pwned\007clear\033[2Jcsi\2331mend caf\303\251\tok\r\n' >"$W/esc.want"
cmp -s "$W/err" "$W/esc.want" || { od -c "$W/err" | head; fail "--log piped: the log changed"; }
if command -v script >/dev/null; then
  TUTTI_ESC="$W/esc.so" script -qec '"$TUTTI" invoke "$TUTTI_ESC" --log' /dev/null >"$W/tty" 2>&1 </dev/null || true
  grep -qF 'title\x1b]0;pwned\x07clear\x1b[2Jcsi\x9b1mend caf'$'\303\251\t''ok\x0d' "$W/tty" ||
    { od -c "$W/tty" | head -20; fail "--log on a terminal: not escaped"; }
  ! grep -q $'\033' "$W/tty" || { od -c "$W/tty" | head -20; fail "--log on a terminal: a raw ESC"; }
else
  echo "SKIP --log on a terminal: script (util-linux) not found"
fi
# --- nor do its errors and results: a constructor runs during the load
# check of `function create` and may send a start-up INIT_ERROR (token 0)
# of its own, escapes included; JSON escapes C0 controls but not C1 ones
# (U+009B is CSI). Both reached the terminal raw before. (An error's text
# is made UTF-8 first, C1 controls included: they become '?'.)
cat >"$W/escerr.c" <<'EOF'
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <tutti.h>
__attribute__((constructor)) static void forge(void)
{
	static const char type[] = "Evil.\033]0;pwned\007T", msg[] = "m\033[2Jx\r\302\2331m";
	struct { uint32_t type, len; uint64_t seq; } h = { 5, sizeof type + sizeof msg - 1, 0 };
	char b[128];
	memcpy(b, &h, sizeof h);
	memcpy(b + sizeof h, type, sizeof type);
	memcpy(b + sizeof h + sizeof type, msg, sizeof msg - 1);
	if (write(1000, b, sizeof h + h.len) < 0)
		_exit(2);
	_exit(1);
}
int handler(tt_ctx *ctx, const char *ev, size_t n) { (void)ev; (void)n; return tt_return(ctx, "1", 0); }
EOF
cat >"$W/escres.c" <<'EOF'
#include <tutti.h>
int handler(tt_ctx *ctx, const char *ev, size_t n)
{
	(void)ev; (void)n;
	return tt_return(ctx, "\"csi\302\2331m\"", 0);
}
EOF
cc -shared -fPIC -I"$TUTTI_TOP/include" -o "$W/escerr.so" "$W/escerr.c"
cc -shared -fPIC -I"$TUTTI_TOP/include" -o "$W/escres.so" "$W/escres.c"
run 2 "$TUTTI" function create escerr --code "$W/escerr.so"
grep -qF $'Evil.\033]0;pwned\007T: m\033[2Jx\r??1m' "$W/err" ||
  { od -c "$W/err" | head; fail "create piped: the error changed"; }
if command -v script >/dev/null; then
  TUTTI_ESC="$W/escerr.so" script -qec '"$TUTTI" function create escerr --code "$TUTTI_ESC"' /dev/null >"$W/tty" 2>&1 </dev/null || true
  grep -qF 'tutti: Evil.\x1b]0;pwned\x07T: m\x1b[2Jx\x0d??1m' "$W/tty" ||
    { od -c "$W/tty" | head -20; fail "create on a terminal: the function's error not escaped"; }
  TUTTI_ESC="$W/escerr.so" script -qec '"$TUTTI" invoke "$TUTTI_ESC"' /dev/null >"$W/tty2" 2>&1 </dev/null || true
  grep -qF '"errorMessage": "m\u001B[2Jx\r??1m"' "$W/tty2" ||
    { od -c "$W/tty2" | head -20; fail "invoke on a terminal: the error not escaped"; }
  TUTTI_ESC="$W/escres.so" script -qec '"$TUTTI" invoke "$TUTTI_ESC"' /dev/null >"$W/tty3" 2>&1 </dev/null || true
  grep -qF '"csi\xc2\x9b1m"' "$W/tty3" ||
    { od -c "$W/tty3" | head -20; fail "invoke on a terminal: a C1 control in the result not escaped"; }
  ! grep -q $'\033\\|\302\233' "$W/tty" "$W/tty2" "$W/tty3" || fail "on a terminal: a raw ESC or CSI"
fi

# --- $TUTTI_HOME is private: functions' variables are secrets -------------
# 0700 directories and 0600 files; code/ and opt/ (0700 themselves) hold
# what sandboxes mount, readable by the sandbox user through its mounts.
run 0 "$TUTTI" function create secret --code "$W/entry.so" --handler entry --env GREETING=s3cr3t
is "$(stat -c %a "$TUTTI_HOME")" 700 "TUTTI_HOME mode"
is "$(stat -c %a "$TUTTI_HOME/functions/secret/versions/1.json")" 600 "function record mode"
loose=$(find "$TUTTI_HOME" -mindepth 1 \( -path "$TUTTI_HOME/code/*" -o -path "$TUTTI_HOME/opt/*" \) -prune -o \
  \( -type d ! -perm 700 -o -type f ! -perm 600 \) -printf '%m %p\n')
[ -z "$loose" ] || fail "not private under \$TUTTI_HOME: $loose"
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
  rc=0
  setpriv --reuid nobody --regid nogroup --clear-groups cat "$TUTTI_HOME/functions/secret/versions/1.json" \
    >/dev/null 2>&1 || rc=$?
  [ "$rc" != 0 ] || fail "another user read a function record"
else
  echo "SKIP another user reads a record: no nobody user or setpriv"
fi
# A home others may write, or owned by another user: refused (exit 2, named);
# an existing 0755 home (older versions): tightened to 0700.
mkdir "$W/gw" "$W/ow" "$W/old" "$W/theirs"
chmod 0770 "$W/gw"; chmod 0757 "$W/ow"; chmod 0755 "$W/old"
refused "unsafe TUTTI_HOME: $W/gw is writable by its group or others (mode 0770)" \
  env TUTTI_HOME="$W/gw" "$TUTTI" function list
refused "unsafe TUTTI_HOME: $W/ow is writable by its group or others (mode 0757)" \
  env TUTTI_HOME="$W/ow" "$TUTTI" invoke "$W/v1.so"
if [ "$(id -u)" = 0 ]; then
  chown 65534 "$W/theirs"; chmod 0700 "$W/theirs"
  refused "is owned by uid 65534" env TUTTI_HOME="$W/theirs" "$TUTTI" function list
fi
mkdir -m 0777 "$W/ww"; mkdir "$W/ww/home"   # no sticky bit: anyone may swap home
refused "is writable by anyone" env TUTTI_HOME="$W/ww/home" "$TUTTI" function list
# A home reached through a symlink in another user's directory: that user
# may repoint it anywhere. Refused, and nothing done where it points (the
# checks ran on the resolved path, after a chmod 700 of the target: a link
# to /etc made /etc 0700 and filled it with functions/, layers/...).
if [ "$(id -u)" = 0 ]; then
  mkdir -m 0755 "$W/victim" "$W/theirs2"
  chown 65534 "$W/theirs2"
  ln -s "$W/victim" "$W/theirs2/home"
  refused "$W/theirs2, above $W/theirs2/home, is owned by another user (uid 65534)" \
    env TUTTI_HOME="$W/theirs2/home" "$TUTTI" function list
  is "$(stat -c %a "$W/victim")" 755 "a symlinked home's target keeps its mode"
  [ -z "$(ls -A "$W/victim")" ] || fail "a symlinked home's target got $(ls -A "$W/victim")"
  mkdir -m 0700 "$W/mine"; ln -s "$W/mine" "$W/mylink"   # ours all the way: fine
  run 0 env TUTTI_HOME="$W/mylink" "$TUTTI" function list
fi
run 0 env TUTTI_HOME="$W/old" "$TUTTI" function list
is "$(stat -c %a "$W/old")" 700 "an old 0755 home, tightened"
run 0 env TUTTI_HOME="$W/new/deeper" "$TUTTI" function list
is "$(stat -c %a "$W/new/deeper")" 700 "a new home"

echo "function_cli: ok"
