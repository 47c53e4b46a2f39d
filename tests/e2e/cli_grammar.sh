#!/usr/bin/env bash
# End-to-end: the one command-line grammar (cli/opts.h, cli/commands.def)
# through the real CLI. --opt=VALUE and --opt VALUE everywhere; a missing
# value named; did-you-mean for options, commands and subcommands; -h and
# --help on every command and subcommand of the usage listing, and
# `tutti help CMD [SUB]`; --output json|text on the list commands;
# repeated options capped with a named limit; positional counts; usage
# errors exit 2 with the message and the usage line on stderr and nothing
# on stdout; and the contracts of invoke, run, validate and build.
# Needs $TUTTI, $TUTTI_TOP, $BUILD, a fresh $TUTTI_HOME and jq.
. "$(dirname "$0")/lib.sh"
e2e_init grammar
need jq

# usage_error MESSAGE USAGE ARGS...: tutti ARGS exits 2, nothing on stdout,
# "tutti: ...MESSAGE" and usage lines on stderr, one starting "tutti USAGE".
usage_error() {
  local msg=$1 usage=$2; shift 2
  run 2 "$TUTTI" "$@"
  [ ! -s "$W/out" ] || fail "tutti $*: printed on stdout: $(cat "$W/out")"
  grep -qF -- "$msg" "$W/err" || fail "tutti $*: stderr lacks '$msg': $(cat "$W/err")"
  [ "$(head -c 7 "$W/err")" = "tutti: " ] || fail "tutti $*: stderr does not start with 'tutti: ': $(cat "$W/err")"
  [ -z "$usage" ] || { grep -q '^usage: tutti ' "$W/err" &&
    sed -n 's/^\(usage:\|      \) tutti /tutti /p' "$W/err" | grep -q -F -- "tutti $usage"; } ||
    fail "tutti $*: no usage line 'tutti $usage': $(cat "$W/err")"
}
out_is() { [ "$(cat "$W/out")" = "$1" ] || fail "stdout is '$(cat "$W/out")', expected '$1'"; }
json_ok() { jq -e . "$W/out" >/dev/null || fail "stdout is not one JSON document: $(cat "$W/out")"; }

# --- the usage listing, and --help on everything in it -----------------------------
run 0 "$TUTTI" help
cp "$W/out" "$W/listing"
run 0 "$TUTTI" --help
cmp -s "$W/out" "$W/listing" || fail "tutti --help differs from tutti help"
run 0 "$TUTTI" -h
cmp -s "$W/out" "$W/listing" || fail "tutti -h differs from tutti help"
# tutti without a command: the listing on stderr, exit 2
run 2 "$TUTTI"
grep -q '^usage: tutti ' "$W/err" || fail "tutti alone: no usage on stderr"
# Every usage line: "usage: tutti CMD ..." then "       tutti CMD ...".
sed -n 's/^\(usage:\|      \) tutti \([a-z][a-z-]*\)\( \([a-z][a-z]*\)\)\{0,1\}.*/\2 \4/p' "$W/listing" |
  sort -u >"$W/paths"
[ "$(wc -l <"$W/paths")" -ge 20 ] || fail "the listing has only $(wc -l <"$W/paths") commands: $(cat "$W/listing")"
for group in function layer bucket; do
  grep -q "^$group " "$W/paths" || fail "the listing lacks $group"
done
n=0
while read -r cmd word; do
  # word is a subcommand when cmd has subcommands
  sub=
  if "$TUTTI" help "$cmd" | grep -q '^subcommands:'; then
    sub=$word
    [ -n "$sub" ] || fail "group $cmd listed without a subcommand"
  fi
  for h in --help -h; do
    run 0 "$TUTTI" $cmd $sub $h
    grep -q "^usage: tutti $cmd${sub:+ $sub}\b" "$W/out" || fail "tutti $cmd $sub $h: $(head -3 "$W/out")"
    [ ! -s "$W/err" ] || fail "tutti $cmd $sub $h wrote on stderr: $(cat "$W/err")"
  done
  cp "$W/out" "$W/help1"
  run 0 "$TUTTI" help $cmd $sub
  cmp -s "$W/out" "$W/help1" || fail "tutti help $cmd $sub differs from --help"
  # --help wins over anything else on the line
  run 0 "$TUTTI" $cmd $sub --no-such-option extra words --help
  cmp -s "$W/out" "$W/help1" || fail "tutti $cmd $sub ... --help differs"
  n=$((n + 1))
done <"$W/paths"
echo "--help on $n commands and subcommands"
# groups: --help, -h and help print every subcommand's usage
for group in function layer bucket; do
  for h in --help -h help; do
    run 0 "$TUTTI" $group $h
    for sub in $(awk -v g="$group" '$1 == g { print $2 }' "$W/paths"); do
      grep -q "tutti $group $sub" "$W/out" || fail "tutti $group $h lacks $sub"
    done
  done
done
# the issue's cases
run 0 "$TUTTI" invoke --help
grep -q -- '--payload JSON|@FILE' "$W/out" || fail "invoke --help lacks --payload"
run 0 "$TUTTI" bucket list --help
grep -q -- '--output json|text' "$W/out" || fail "bucket list --help lacks --output"
# bucket's grammar lives in the binary: help and usage errors need no integrations
run 0 env TUTTI_INTEGRATIONS="$W/none.so" "$TUTTI" bucket put --help
grep -q '^usage: tutti bucket put BUCKET KEY' "$W/out" || fail "bucket put --help without the integrations"
run 2 env TUTTI_INTEGRATIONS="$W/none.so" "$TUTTI" bucket put b
grep -q 'missing KEY' "$W/err" || fail "bucket usage error without the integrations: $(cat "$W/err")"
run 0 "$TUTTI" help run
grep -q '^usage: tutti run DEFINITION.json' "$W/out" || fail "help run: $(head -2 "$W/out")"
grep -q '^commands:' "$W/out" && fail "help run printed the general usage"
run 0 "$TUTTI" help function create
grep -q -- '--env K=V' "$W/out" || fail "help function create lacks --env"
usage_error "unknown command 'bogus'" "help" help bogus
usage_error "unknown subcommand 'function nope'" "help" help function nope
usage_error "'run' has no subcommands" "help" help run extra
run 0 "$TUTTI" --version
grep -qE '^tutti [0-9]+\.[0-9]+\.[0-9]+$' "$W/out" || fail "--version: $(cat "$W/out")"
run 0 "$TUTTI" version
grep -qE '^tutti [0-9]' "$W/out" || fail "version: $(cat "$W/out")"

# --- suggestions -----------------------------------------------------------------------
usage_error "unknown command 'invok' (did you mean 'invoke'?)" "" invok x.so
usage_error "unknown command 'fucntion' (did you mean 'function'?)" "" fucntion list
usage_error "unknown option '--verison' (did you mean --version?)" "" --verison
usage_error "unknown subcommand 'craete' (did you mean 'create'?)" "function create NAME" function craete f
usage_error "unknown subcommand 'lst' (did you mean 'list'?)" "layer list" layer lst
usage_error "unknown subcommand 'publsh' (did you mean 'publish'?)" "layer publish" layer publsh
usage_error "missing subcommand" "bucket create NAME" bucket
usage_error "unknown option '--paylod' (did you mean --payload?)" "invoke NAME" invoke "$FN/echo.so" --paylod '{}'
usage_error "unknown option '-payload' (did you mean --payload?)" "invoke NAME" invoke "$FN/echo.so" -payload '{}'
usage_error "unknown option '--pay' (did you mean --payload?)" "invoke NAME" invoke "$FN/echo.so" --pay '{}'
usage_error "unknown option '--imput' (did you mean --input?)" "run DEFINITION.json" run x.json --imput '{}'
usage_error "unknown option '--tiemout' (did you mean --timeout?)" "function create NAME" function create f --tiemout 3
usage_error "unknown option '--bogus'" "layer publish NAME DIR" layer publish X "$W" --bogus

# --- missing values, named ---------------------------------------------------------------
usage_error "option '--payload' requires an argument" "invoke NAME" invoke "$FN/echo.so" --payload
usage_error "option '--input' requires an argument" "run DEFINITION.json" run x.json --input
usage_error "option '--code' requires an argument" "function create NAME" function create f --code
usage_error "option '--description' requires an argument" "layer publish" layer publish X "$W" --description
usage_error "option '--content-type' requires an argument" "bucket put" bucket put b k d --content-type
usage_error "option '-o' requires an argument" "build SRC.c" build a.c -o
usage_error "option '--output' requires an argument" "function list" function list --output
usage_error "option '--log' takes no value" "invoke NAME" invoke "$FN/echo.so" --log=yes
usage_error "option '--output' must be json or text, not 'xml'" "layer list" layer list --output xml
usage_error "option '--type' must be EXPRESS or STANDARD, not 'FAST'" "run DEFINITION.json" run x.json --type FAST

# --- positional counts ---------------------------------------------------------------
usage_error "missing NAME|PATH.so" "invoke NAME" invoke
usage_error "unexpected argument 'b.so'" "invoke NAME" invoke a.so b.so
usage_error "missing DEFINITION.json" "run DEFINITION.json" run --input '{}'
usage_error "unexpected argument 'c.json'" "run DEFINITION.json" run a.json b.json c.json
usage_error "missing DEFINITION.json" "validate DEFINITION.json" validate
usage_error "unexpected argument 'b.json'" "validate DEFINITION.json" validate a.json b.json
usage_error "missing NAME[:VERSION]" "function get NAME" function get
usage_error "unexpected argument 'x'" "function list" function list x
usage_error "missing NAME" "function versions NAME" function versions
usage_error "missing NAME DIR" "layer publish NAME DIR" layer publish
usage_error "missing DIR" "layer publish NAME DIR" layer publish X
usage_error "unexpected argument 'c'" "layer list" layer list a c
usage_error "missing KEY DATA|@FILE" "bucket put BUCKET KEY" bucket put b
usage_error "unexpected argument 'p2'" "bucket ls BUCKET" bucket ls b p1 p2
usage_error "unexpected argument 'x'" "bucket list" bucket list x
usage_error "no source file given" "build SRC.c" build -o x.so
usage_error "missing -o OUT.so" "build SRC.c" build a.c

# --- repeated options: a named cap ---------------------------------------------------------
envs=(); for i in $(seq 65); do envs+=(--env "K$i=v"); done
usage_error "too many --env (max 64)" "invoke NAME" invoke "$FN/echo.so" "${envs[@]}"
usage_error "too many --env (max 64)" "function create NAME" function create f --code "$FN/echo.so" "${envs[@]}"
fns=(); for i in $(seq 65); do fns+=(--function "f$i=$FN/echo.so"); done
usage_error "too many --function (max 64)" "run DEFINITION.json" run x.json "${fns[@]}"
usage_error "too many --layer (max 5)" "function create NAME" function create f --code "$FN/echo.so" \
  --layer a --layer b --layer c --layer d --layer e --layer f

# --- --opt=VALUE and --opt VALUE, everywhere -------------------------------------------------
run 0 "$TUTTI" invoke "$FN/echo.so" --payload='{"a":1}'
out_is '{"a":1}'
run 0 "$TUTTI" invoke "$FN/echo.so" --payload '{"a":2}'
out_is '{"a":2}'
echo '{"f":3}' >"$W/p.json"
run 0 "$TUTTI" invoke "$FN/echo.so" --payload=@"$W/p.json" --timeout=5 --memory=256 --env=A=b
out_is '{"f":3}'
run 0 "$TUTTI" invoke "$FN/echo.so"
out_is '{}'
# 64 --env is the limit, not an error
envs=(); for i in $(seq 64); do envs+=(--env "K$i=v"); done
run 0 "$TUTTI" invoke "$FN/echo.so" "${envs[@]}" --payload '[64]'
out_is '[64]'
printf '%s' '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}' >"$W/pass.json"
printf '%s' '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"echo","End":true}}}' >"$W/task.json"
printf '%s' '{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Oops","Cause":"it broke"}}}' >"$W/fail.json"
run 0 "$TUTTI" run "$W/pass.json" --input='{"r":1}'
out_is '{"r":1}'
run 0 "$TUTTI" run "$W/pass.json" --input '{"r":2}' --wait-scale=0 --type=STANDARD --name=n1
out_is '{"r":2}'
run 0 "$TUTTI" run "$W/task.json" --function=echo="$FN/echo.so" --input='[1]'
out_is '[1]'
run 0 "$TUTTI" run "$W/task.json" --function echo="$FN/echo.so" --input '[2]' --history="$W/h.json"
out_is '[2]'
jq -e '.events | length > 0' "$W/h.json" >/dev/null || fail "--history=FILE"
run 0 "$TUTTI" function create echo --code="$FN/echo.so" --timeout=7 --memory 256 --env=GREETING=hi --description="an echo"
[ "$(jq -r .Timeout "$W/out")" = 7 ] && [ "$(jq -r .MemorySize "$W/out")" = 256 ] || fail "create: $(cat "$W/out")"
[ "$(jq -r .Environment.Variables.GREETING "$W/out")" = hi ] || fail "create --env=: $(cat "$W/out")"
run 0 "$TUTTI" function update echo --timeout 9 --network --no-network
[ "$(jq -r .Timeout "$W/out")" = 9 ] && [ "$(jq -r .Network "$W/out")" = false ] || fail "update: $(cat "$W/out")"
run 0 "$TUTTI" function update echo --no-network --network
[ "$(jq -r .Network "$W/out")" = true ] || fail "--no-network --network: the last should win: $(cat "$W/out")"
run 0 "$TUTTI" function create fails --code "$FN/fail.so"
mkdir -p "$W/layer/lib" && echo hi >"$W/layer/lib/x.txt"
run 0 "$TUTTI" layer publish greet "$W/layer" --description="first one"
[ "$(jq -r .Description "$W/out")" = "first one" ] || fail "publish --description=: $(cat "$W/out")"
run 0 "$TUTTI" layer publish greet "$W/layer" --description second
run 0 "$TUTTI" bucket create grammar-bucket
run 0 "$TUTTI" bucket put grammar-bucket dir/a.txt hello --content-type=text/plain
run 0 "$TUTTI" bucket put grammar-bucket dir/b.json '{"b":1}' --content-type application/json
run 0 "$TUTTI" bucket get grammar-bucket dir/a.txt
out_is hello
# "--" ends the options: build's compiler flags
cat >"$W/fn.c" <<'EOF'
#include <tutti.h>
int handler(tt_ctx *ctx, const char *ev, size_t n) { return tt_return(ctx, ev, n); }
EOF
run 0 "$TUTTI" build "$W/fn.c" -o "$W/fn.so" -- -DUNUSED=1 -O1
run 0 "$TUTTI" build "$W/fn.c" -o"$W/fn2.so"
run 0 "$TUTTI" invoke "$W/fn2.so" --payload '"built"'
out_is '"built"'
usage_error "unknown option '-Wall'" "build SRC.c" build "$W/fn.c" -o "$W/fn3.so" -Wall

# --- --output json|text on the list commands ----------------------------------------------------
# text: a header, then rows whose columns start where the header's do
columns_aligned() {
  awk 'NR == 1 { for (i = 2; i <= length($0); i++) if (substr($0, i - 2, 2) == "  " && substr($0, i, 1) != " ") starts[i] = 1; next }
       { for (s in starts) if (substr($0, s - 1, 1) != " " && length($0) >= s) bad = 1 }
       END { exit bad }' "$W/out" || fail "columns not aligned: $(cat "$W/out")"
}
run 0 "$TUTTI" function list
json_ok; [ "$(jq -r '[.Functions[].FunctionName] | join(",")' "$W/out")" = echo,fails ] || fail "list json"
run 0 "$TUTTI" function list --output=json
json_ok; [ "$(jq '.Functions | length' "$W/out")" = 2 ] || fail "list --output=json"
run 0 "$TUTTI" function list --output text
head -1 "$W/out" | grep -q '^NAME  *HANDLER  *TIMEOUT  *MEMORY' || fail "function list text header: $(cat "$W/out")"
[ "$(wc -l <"$W/out")" = 3 ] || fail "function list text: $(cat "$W/out")"
grep -q '^echo  *handler  *9  *256 .*an echo$' "$W/out" || fail "function list text row: $(cat "$W/out")"
columns_aligned
grep -q ' $' "$W/out" && fail "trailing blanks in text output"
run 0 "$TUTTI" function versions echo --output=text
head -1 "$W/out" | grep -q '^VERSION  *HANDLER' || fail "versions text: $(cat "$W/out")"
awk 'NR > 1 { print $1 }' "$W/out" | tr '\n' ' ' | grep -qx '\$LATEST 1 2 3 ' || fail "versions rows: $(cat "$W/out")"
columns_aligned
run 0 "$TUTTI" function versions echo --output json
json_ok; [ "$(jq '.Versions | length' "$W/out")" = 4 ] || fail "versions json"
run 0 "$TUTTI" layer list
json_ok; [ "$(jq -r '.Layers[0].LayerName' "$W/out")" = greet ] || fail "layer list json"
run 0 "$TUTTI" layer list --output text
grep -q '^greet  *2  ' "$W/out" || fail "layer list text: $(cat "$W/out")"
columns_aligned
run 0 "$TUTTI" layer list greet --output=text
head -1 "$W/out" | grep -q '^VERSION  *CREATED  *DESCRIPTION$' || fail "layer versions text: $(cat "$W/out")"
grep -q '^1  .*first one$' "$W/out" || fail "layer versions text rows: $(cat "$W/out")"
columns_aligned
run 0 "$TUTTI" layer list greet --output json
json_ok; [ "$(jq '.LayerVersions | length' "$W/out")" = 2 ] || fail "layer versions json"
usage_error "unknown option '--json'" "layer list" layer list --json
run 0 "$TUTTI" bucket list
out_is grammar-bucket
run 0 "$TUTTI" bucket list --output=json
json_ok; [ "$(jq -r '.Buckets[0].Name' "$W/out")" = grammar-bucket ] || fail "bucket list json: $(cat "$W/out")"
run 0 "$TUTTI" bucket list --output text
out_is grammar-bucket
run 0 "$TUTTI" bucket ls grammar-bucket dir/
json_ok; [ "$(jq '.Contents | length' "$W/out")" = 2 ] || fail "bucket ls json: $(cat "$W/out")"
run 0 "$TUTTI" bucket ls grammar-bucket --output text
head -1 "$W/out" | grep -q '^KEY  *SIZE  *LAST MODIFIED$' || fail "bucket ls text: $(cat "$W/out")"
grep -q '^dir/a.txt  *5  ' "$W/out" || fail "bucket ls text rows: $(cat "$W/out")"
columns_aligned

# --- the contracts -----------------------------------------------------------------------------
run 1 "$TUTTI" invoke fails --payload '{"error":"Bad","cause":"no"}'
[ "$(jq -c . "$W/out")" = '{"errorType":"Bad","errorMessage":"no"}' ] || fail "function error: $(cat "$W/out")"
run 0 "$TUTTI" invoke echo --payload '{"x":1}'
out_is '{"x":1}'
run 1 "$TUTTI" run "$W/fail.json"
[ "$(jq -c . "$W/out")" = '{"error":"Oops","cause":"it broke"}' ] || fail "failed execution: $(cat "$W/out")"
echo '{"in":"file"}' >"$W/in.json"
run 0 "$TUTTI" run "$W/pass.json" "$W/in.json"
out_is '{"in":"file"}'
usage_error "not both" "" run "$W/pass.json" "$W/in.json" --input '{}'
run 0 "$TUTTI" validate "$W/pass.json"
[ ! -s "$W/out" ] || fail "validate printed for a valid definition"
printf '%s' '{"StartAt":"Nope","States":{}}' >"$W/bad.json"
run 2 "$TUTTI" validate "$W/bad.json"
grep -q '^\$\.StartAt: ' "$W/out" || fail "validate lines: $(cat "$W/out")"
echo "cli_grammar: all checks passed"
