#!/usr/bin/env bash
# End-to-end: the S3 tasks (tutti bucket call ...) against a real
# S3-compatible server on 127.0.0.1 — s3rver (npm), both backends: libs3
# (Signature V2) and curl (Signature V4) — and the file-backed store.
#
# s3rver comes from `npm install --prefix /opt/s3rver s3rver@3.7.1` (what
# .ci/run installs, with Debian's nodejs and npm); $TUTTI_S3RVER may name
# another s3rver binary. Without it the test is skipped, unless
# TUTTI_REQUIRE_S3RVER=1 (set by .ci/run once it installs s3rver).
#
# Two s3rver quirks shape this script:
# - it checks V2 signatures but only the access key of V4 ones (the V4
#   signature itself is checked by tests/fixtures/http_fixture in the unit
#   tests);
# - its V2 check of bucket-level requests (list, create, delete) expects no slash
#   after the bucket name, where libs3 (rightly, for AWS) signs one, so
#   libs3's bucket-level requests run against a second s3rver started with
#   --allow-mismatched-signatures on the same data directory.
. "$(dirname "$0")/lib.sh"
T=$TUTTI TOP=$TUTTI_TOP
S3RVER=${TUTTI_S3RVER:-/opt/s3rver/node_modules/.bin/s3rver}
if [ ! -x "$S3RVER" ]; then
  [ "${TUTTI_REQUIRE_S3RVER:-0}" = 1 ] &&
    fail "s3rver not found at $S3RVER (npm install --prefix /opt/s3rver s3rver@3.7.1)"
  skip "s3rver not found at $S3RVER (npm install --prefix /opt/s3rver s3rver@3.7.1)"
fi
e2e_init s3e2e
work=$W

# start_s3rver NAME [options]: starts one; its port ends in $work/NAME.port.
start_s3rver() {
  local name=$1 port; shift
  mkdir -p "$work/data"
  # Both servers share one data directory: s3rver reads it per request.
  # Its ListObjectsV2 tokens use a cipher OpenSSL 3 keeps in its legacy
  # provider.
  NODE_OPTIONS=--openssl-legacy-provider "$S3RVER" -d "$work/data" -a 127.0.0.1 -p 0 \
    --configure-bucket e2e-bucket "$@" >"$work/$name.log" 2>&1 &
  E2E_PIDS+=($!)
  for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/$name.log" | head -1)
    [ -n "$port" ] && { echo "$port" >"$work/$name.port"; return 0; }
    sleep 0.1
  done
  cat "$work/$name.log" >&2; fail "s3rver $name did not start"
}
start_s3rver strict
start_s3rver lenient --allow-mismatched-signatures
STRICT=$(cat "$work/strict.port") LENIENT=$(cat "$work/lenient.port")

# expect_error NAME OUTPUT: the call's JSON names that error.
expect_error() {
  [ "$(jq -r .error <<<"$2")" = "$1" ] || fail "wanted $1, got: $2"
}
call() { "$T" bucket call "$@" || true; }

backend() {
  local sigv4=$1 port=$2 list_port=$3 out big
  export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$port AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER \
         AWS_REGION=us-east-1 TUTTI_S3_PATH_STYLE=1 TUTTI_S3_SIGV4=$sigv4
  echo "== backend sigv4=$sigv4"
  # The seed scenario: a JSON response stored as an object.
  out=$(call putObject '{"Bucket":"e2e-bucket","Key":"todos/2024-05-01.json","Body":[{"id":1,"title":"x"}]}')
  [ "$(jq -r .ETag <<<"$out" | cut -c1)" = '"' ] || fail "putObject: $out"
  out=$(call getObject '{"Bucket":"e2e-bucket","Key":"todos/2024-05-01.json"}')
  [ "$(jq -r .Body <<<"$out")" = '[{"id":1,"title":"x"}]' ] || fail "getObject body: $out"
  [ "$(jq -r .ContentType <<<"$out")" = application/json ] || fail "getObject type: $out"
  [ "$(jq -r .ContentLength <<<"$out")" = 22 ] || fail "getObject length: $out"
  # Keys that need escaping survive the round trip. (libs3 signs a space
  # and !*'() in keys differently from s3rver's V2 check: V4 only.)
  key='odd/ä+%&=~.txt'; [ "$sigv4" = 1 ] && key="odd key/ä+%&=~!*'().txt"
  out=$(call putObject "$(jq -nc --arg k "$key" '{Bucket:"e2e-bucket",Key:$k,Body:"escaped"}')")
  out=$(call getObject "$(jq -nc --arg k "$key" '{Bucket:"e2e-bucket",Key:$k}')")
  [ "$(jq -r .Body <<<"$out")" = escaped ] || fail "odd key $key: $out"
  # Listing, with pages.
  for i in 1 2 3; do call putObject "{\"Bucket\":\"e2e-bucket\",\"Key\":\"page/$i\",\"Body\":\"$i\"}" >/dev/null; done
  AWS_ENDPOINT_URL_S3=http://127.0.0.1:$list_port
  out=$(call listObjectsV2 '{"Bucket":"e2e-bucket","Prefix":"page/","MaxKeys":2}')
  [ "$(jq -r '.Contents | length' <<<"$out")" = 2 ] && [ "$(jq -r .IsTruncated <<<"$out")" = true ] || fail "list page 1: $out"
  tok=$(jq -r .NextContinuationToken <<<"$out")
  out=$(call listObjectsV2 "{\"Bucket\":\"e2e-bucket\",\"Prefix\":\"page/\",\"MaxKeys\":2,\"ContinuationToken\":\"$tok\"}")
  [ "$(jq -r '.Contents[0].Key' <<<"$out")" = page/3 ] && [ "$(jq -r .IsTruncated <<<"$out")" = false ] || fail "list page 2: $out"
  AWS_ENDPOINT_URL_S3=http://127.0.0.1:$port
  # Missing key, missing bucket.
  out=$(call deleteObject '{"Bucket":"e2e-bucket","Key":"page/1"}')
  [ "$out" = "{}" ] || fail "deleteObject: $out"
  expect_error S3.NoSuchKeyException "$(call getObject '{"Bucket":"e2e-bucket","Key":"page/1"}')"
  expect_error S3.NoSuchBucketException "$(call getObject '{"Bucket":"no-such-bucket","Key":"k"}')"
  # Wrong credentials: refused, and nothing was written.
  out=$(AWS_ACCESS_KEY_ID=WRONG call putObject '{"Bucket":"e2e-bucket","Key":"denied","Body":"x"}')
  expect_error S3.S3Exception "$out"
  grep -q InvalidAccessKeyId <<<"$out" || fail "wrong key id: $out"
  if [ "$sigv4" = 0 ]; then
    out=$(AWS_SECRET_ACCESS_KEY=WRONG call putObject '{"Bucket":"e2e-bucket","Key":"denied","Body":"x"}')
    grep -q SignatureDoesNotMatch <<<"$out" || fail "wrong secret: $out"
  fi
  expect_error S3.NoSuchKeyException "$(call getObject '{"Bucket":"e2e-bucket","Key":"denied"}')"
  # Buckets through the CLI (bucket-level requests: the lenient server
  # for libs3, as for listings).
  AWS_ENDPOINT_URL_S3=http://127.0.0.1:$list_port
  "$T" bucket create "made-by-$sigv4" || fail "bucket create"
  "$T" bucket list | grep -qx "made-by-$sigv4" || fail "bucket list"
  "$T" bucket delete "made-by-$sigv4" || fail "bucket delete"
  AWS_ENDPOINT_URL_S3=http://127.0.0.1:$port
  # A 2 MiB object.
  big=$work/big.bin; head -c $((2 << 20)) /dev/zero | tr '\0' 'b' >"$big"
  "$T" bucket put e2e-bucket big.txt "@$big" || fail "put 2 MiB"
  cmp <("$T" bucket get e2e-bucket big.txt) "$big" || fail "get 2 MiB"
}
backend 0 "$STRICT" "$LENIENT"
backend 1 "$STRICT" "$STRICT"

# A function using the s3 layer (libtutti_s3.so), both signers. Lambda
# reserves AWS_ACCESS_KEY_ID: functions pass S3_ACCESS_KEY_ID.
L="$TOP/$BUILD/layers/s3"
cat >"$work/store.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <tutti.h>
#include <tutti_s3.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char err[512], out[1024], *data = NULL;
	size_t n = 0;
	tutti_s3 *s3 = tutti_s3_from_env(err, sizeof err);
	int rc;

	if (!s3)
		return tt_raise(ctx, "S3.SdkClientException", "%s", err);
	if (tutti_s3_put(s3, "e2e-bucket", "from-fn.json", event, len, "application/json", err, sizeof err) ||
	    tutti_s3_get(s3, "e2e-bucket", "from-fn.json", &data, &n, err, sizeof err) ||
	    tutti_s3_delete(s3, "e2e-bucket", "from-fn.json", err, sizeof err)) {
		rc = tt_raise(ctx, tutti_s3_error_name(s3), "%s", err);
	} else {
		snprintf(out, sizeof out, "{\"read\":%s}", data);
		rc = tt_return(ctx, out, 0);
	}
	free(data);
	tutti_s3_free(s3);
	return rc;
}
C
"$T" build "$work/store.c" -o "$work/store.so" -- -I"$L/include" -L"$L/lib" -ltutti_s3 || fail "building the function"
"$T" layer publish s3 "$L" >/dev/null || fail "publishing the s3 layer"
for v in 0 1; do
  "$T" function create "store$v" --code "$work/store.so" --layer s3 --network --timeout 20 \
    --env AWS_ENDPOINT_URL_S3=http://127.0.0.1:$STRICT --env S3_ACCESS_KEY_ID=S3RVER \
    --env S3_SECRET_ACCESS_KEY=S3RVER --env TUTTI_S3_PATH_STYLE=1 --env TUTTI_S3_SIGV4=$v >/dev/null || fail "function create"
  out=$("$T" invoke "store$v" --payload '{"a":[1,2]}') || fail "invoke store$v: $out"
  [ "$(jq -c .read <<<"$out")" = '{"a":[1,2]}' ] || fail "function round trip: $out"
done
"$T" function create store-bad --code "$work/store.so" --layer s3 --network --timeout 20 \
  --env AWS_ENDPOINT_URL_S3=http://127.0.0.1:$STRICT --env S3_ACCESS_KEY_ID=WRONG \
  --env S3_SECRET_ACCESS_KEY=S3RVER --env TUTTI_S3_PATH_STYLE=1 >/dev/null
out=$("$T" invoke store-bad --payload '{}') && fail "wrong key accepted: $out"
[ "$(jq -r .errorType <<<"$out")" = S3.S3Exception ] || fail "function wrong key: $out"

# The server down: a clear client error, for both signers.
kill "${E2E_PIDS[0]}"; wait "${E2E_PIDS[0]}" 2>/dev/null || true
for v in 0 1; do
  out=$(TUTTI_S3_SIGV4=$v call getObject '{"Bucket":"e2e-bucket","Key":"k"}')
  expect_error S3.SdkClientException "$out"
done

# The file-backed store: same answers, no temporaries left behind.
unset AWS_ENDPOINT_URL_S3
"$T" bucket create local-bucket
out=$(call putObject '{"Bucket":"local-bucket","Key":"todos/today.json","Body":{"a":1}}')
[ "$(jq -r '.ETag' <<<"$out")" = '"bb6cb5c68df4652941caf652a366f2d8"' ] || fail "file putObject: $out"
[ -f "$TUTTI_HOME/buckets/local-bucket/todos/today.json" ] || fail "object file missing"
expect_error S3.NoSuchBucketException "$(call putObject '{"Bucket":"nope-bucket","Key":"k","Body":"x"}')"
expect_error S3.S3Exception "$(call putObject '{"Bucket":"local-bucket","Key":"../../etc/x","Body":"x"}')"
[ -z "$(find "$TUTTI_HOME/buckets" -name '.tutti-tmp*')" ] || fail "temporary files left"
echo "s3_server: all checks passed"
