#!/usr/bin/env bash
# End-to-end: tutti layer publish|list|get|delete, the content refusals,
# and layers as a function sees them at /opt (merged in order, later layers
# winning; kept by function versions after the layer version is deleted).
# Needs $TUTTI, $TUTTI_TOP, $BUILD and a fresh $TUTTI_HOME.
. "$(dirname "$0")/lib.sh"
e2e_init layer

# --- layer content -------------------------------------------------------------
mkdir -p "$W/A/lib" "$W/A/etc" "$W/B/lib" "$W/B/bin"
echo A >"$W/A/common.txt"
echo only-a >"$W/A/etc/a.conf"
echo liba >"$W/A/lib/liba.so.1"
ln -s liba.so.1 "$W/A/lib/liba.so"
echo B >"$W/B/common.txt"
printf '#!/bin/sh\necho hi\n' >"$W/B/bin/tool"
chmod 755 "$W/B/bin/tool"
ln -s ../common.txt "$W/B/lib/common-link"

run 0 "$TUTTI" layer publish A "$W/A" --description "layer A"
is "$(field .Version)" 1 "publish: Version"
is "$(field .LayerArn)" "arn:aws:lambda:local:000000000000:layer:A" "publish: LayerArn"
is "$(field .LayerVersionArn)" "arn:aws:lambda:local:000000000000:layer:A:1" "publish: LayerVersionArn"
is "$(field .Description)" "layer A" "publish: Description"
is "$(field .Content.CodeSize)" 14 "publish: CodeSize (bytes of files)"
a1_sha=$(field .Content.CodeSha256)
# The copy: same tree, files read-only, symlinks kept.
diff -r "$W/A" "$TUTTI_HOME/layers/A/1" >/dev/null || fail "layer copy differs"
is "$(stat -c %a "$TUTTI_HOME/layers/A/1/common.txt")" 444 "layer file mode"
is "$(readlink "$TUTTI_HOME/layers/A/1/lib/liba.so")" liba.so.1 "symlink kept"
run 0 "$TUTTI" layer publish B "$W/B"
is "$(field .Version)" 1 "publish B"
is "$(stat -c %a "$TUTTI_HOME/layers/B/1/bin/tool")" 555 "executable stays executable"

# Same content, same digest; changed content, new version and digest.
run 0 "$TUTTI" layer publish A "$W/A"
is "$(field .Version)" 2 "republish: Version"
is "$(field .Content.CodeSha256)" "$a1_sha" "same content, same digest"
echo A3 >"$W/A/common.txt"
run 0 "$TUTTI" layer publish A "$W/A"
is "$(field .Version)" 3 "publish v3"
[ "$(field .Content.CodeSha256)" != "$a1_sha" ] || fail "changed content, same digest"
echo A >"$W/A/common.txt"

run 0 "$TUTTI" layer list
is "$(field '[.Layers[].LayerName] | join(",")')" "A,B" "list"
is "$(field '.Layers[0].LatestMatchingVersion.Version')" 3 "list: latest version"
run 0 "$TUTTI" layer list A
is "$(field '[.LayerVersions[].Version] | join(",")')" "3,2,1" "list A: newest first"
run 0 "$TUTTI" layer get A:1
is "$(field .Content.CodeSha256)" "$a1_sha" "get A:1"
run 0 "$TUTTI" layer get arn:aws:lambda:local:000000000000:layer:A:2
is "$(field .Version)" 2 "get by ARN"

# --- refusals: exit 2, a message, nothing stored ---------------------------------
mkdir -p "$W/abs" "$W/up/sub" "$W/fifo" "$W/many" "$W/big"
ln -s /etc/passwd "$W/abs/passwd"
ln -s ../../outside "$W/up/sub/link"
mkfifo "$W/fifo/pipe"
(cd "$W/many" && seq 1 10001 | sed 's/^/f/' | xargs touch)
truncate -s 251M "$W/big/blob"
refused "symlink pointing outside the layer" "$TUTTI" layer publish X "$W/abs"
refused "symlink pointing outside the layer" "$TUTTI" layer publish X "$W/up"
refused "not a regular file, directory or symlink" "$TUTTI" layer publish X "$W/fifo"
refused "more than 10000 entries" "$TUTTI" layer publish X "$W/many"
refused "larger than 250 MiB" "$TUTTI" layer publish X "$W/big"
refused "No such file" "$TUTTI" layer publish X "$W/missing"
refused "Not a directory" "$TUTTI" layer publish X "$W/A/common.txt"
refused "invalid layer name" "$TUTTI" layer publish 'bad name' "$W/A"
refused "usage" "$TUTTI" layer publish X
refused "unknown option" "$TUTTI" layer publish X "$W/A" --bogus
[ ! -e "$TUTTI_HOME/layers/X" ] || fail "a refused publish left layers/X"
refused "Layer version not found" "$TUTTI" layer get A:9
refused "Layer version not found" "$TUTTI" layer get nosuch
refused "InvalidParameterValueException" "$TUTTI" layer get A:zero
refused "Layer version not found" "$TUTTI" layer delete nosuch
refused "unknown subcommand" "$TUTTI" layer frob
run 0 "$TUTTI" layer --help

# --- /opt inside the sandbox ----------------------------------------------------------
cat >"$W/opt.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <tutti.h>
static void slurp(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	out[0] = '\0';
	if (!f) { snprintf(out, n, "missing"); return; }
	if (!fgets(out, (int)n, f)) out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	fclose(f);
}
int handler(tt_ctx *ctx, const char *ev, size_t n)
{
	char c[64], a[64], l[64], out[256];
	(void)ev; (void)n;
	slurp("/opt/common.txt", c, sizeof c);
	slurp("/opt/etc/a.conf", a, sizeof a);
	slurp("/opt/lib/common-link", l, sizeof l);
	snprintf(out, sizeof out, "{\"common\":\"%s\",\"a\":\"%s\",\"link\":\"%s\"}", c, a, l);
	return tt_return(ctx, out, 0);
}
EOF
cc -shared -fPIC -I"$TUTTI_TOP/include" -o "$W/opt.so" "$W/opt.c"
run 0 "$TUTTI" function create ab --code "$W/opt.so" --layer A:1 --layer B
is "$(field '[.Layers[].Arn] | join(",")')" \
  "arn:aws:lambda:local:000000000000:layer:A:1,arn:aws:lambda:local:000000000000:layer:B:1" "function Layers"
run 0 "$TUTTI" function create ba --code "$W/opt.so" --layer B:1 --layer arn:aws:lambda:local:000000000000:layer:A:1
run 0 "$TUTTI" function create none --code "$W/opt.so"
run 0 "$TUTTI" invoke ab
is "$(jq -c . "$W/out")" '{"common":"B","a":"only-a","link":"B"}' "/opt of A then B"
run 0 "$TUTTI" invoke ba
is "$(jq -c . "$W/out")" '{"common":"A","a":"only-a","link":"A"}' "/opt of B then A"
run 0 "$TUTTI" invoke none
is "$(jq -r .common "$W/out")" missing "no layers, no /opt content"
refused "two versions of the same layer" "$TUTTI" function create dup --code "$W/opt.so" --layer A:1 --layer A:2

# A library only a layer has (the greet layer shipped with tutti).
if [ -d "$TUTTI_TOP/$BUILD/layers/greet/lib" ] && [ -f "$TUTTI_TOP/$BUILD/functions/greet_example.so" ]; then
  refused "Runtime.ImportModuleError" "$TUTTI" function create greet --code "$TUTTI_TOP/$BUILD/functions/greet_example.so"
  run 0 "$TUTTI" layer publish greet "$TUTTI_TOP/$BUILD/layers/greet"
  run 0 "$TUTTI" function create greet --code "$TUTTI_TOP/$BUILD/functions/greet_example.so" --layer greet
  run 0 "$TUTTI" invoke greet
  grep -q "greet layer" "$W/out" || fail "greet layer function: $(cat "$W/out")"
fi

# --- deleting layers ---------------------------------------------------------------
# A version in use may be deleted (as in Lambda); the function keeps its /opt.
run 0 "$TUTTI" layer delete A:1
[ ! -s "$W/out" ] || fail "delete printed something"
refused "Layer version not found" "$TUTTI" layer get A:1
run 0 "$TUTTI" invoke ab
is "$(jq -r .a "$W/out")" only-a "function keeps a deleted layer version"
refused "Layer version not found" "$TUTTI" function create ab2 --code "$W/opt.so" --layer A:1
run 0 "$TUTTI" function update ab --timeout 7
run 0 "$TUTTI" invoke ab
is "$(jq -r .common "$W/out")" B "update keeps the layers"
run 0 "$TUTTI" function update ab --no-layers
is "$(field '.Layers | length')" 0 "--no-layers"
run 0 "$TUTTI" layer delete A
run 0 "$TUTTI" layer list
is "$(field '[.Layers[].LayerName | select(. != "greet")] | join(",")')" "B" "list after delete"
refused "Layer version not found" "$TUTTI" layer delete A
run 0 "$TUTTI" layer publish A "$W/A"
is "$(field .Version)" 4 "version numbers are not reused"
echo "layer_cli: ok"
