#!/usr/bin/env bash
# The S3 REST API of `tutti serve` (server/s3_api.h) through the real AWS
# CLI (Debian's /usr/bin/aws, `aws s3` and `aws s3api` with --endpoint-url),
# curl (virtual-host style, raw errors) and boto3 (/usr/bin/python3); what
# they write is what `tutti bucket get` and a state machine's S3 Task read.
. "$(dirname "$0")/lib.sh"
e2e_init api_s3
need jq curl
[ -x /usr/bin/aws ] || skip "Debian's awscli (/usr/bin/aws) is not installed"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
EP="http://127.0.0.1:$PORT"
"$TUTTI" serve --listen "127.0.0.1:$PORT" >>"$W/serve.log" 2>&1 &
E2E_PIDS+=("$!")
for _ in $(seq 200); do curl -sf "$EP/health" >/dev/null 2>&1 && break; sleep 0.05; done
curl -sf "$EP/health" >/dev/null || { tail "$W/serve.log"; fail "tutti serve did not answer"; }

export AWS_ACCESS_KEY_ID=tutti AWS_SECRET_ACCESS_KEY=tutti AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3
export AWS_CONFIG_FILE="$W/aws-config" AWS_SHARED_CREDENTIALS_FILE="$W/aws-creds"
: >"$AWS_CONFIG_FILE"
aws() { /usr/bin/aws --endpoint-url "$EP" --no-cli-pager "$@"; }
# expect_err CODE CMD...: the command fails naming the S3 error CODE.
expect_err() {
  local code=$1; shift
  if "$@" >"$W/err.out" 2>&1; then fail "$* succeeded; expected $code"; fi
  grep -q "$code" "$W/err.out" || fail "$*: expected $code, got: $(cat "$W/err.out")"
}

step "mb, cp up and down, ls"
aws s3 mb s3://e2e-data >/dev/null || fail "mb"
printf 'hello from the aws cli\n' >"$W/small.txt"
aws s3 cp --only-show-errors "$W/small.txt" s3://e2e-data/in/small.txt || fail "cp up"
aws s3 cp --only-show-errors s3://e2e-data/in/small.txt "$W/small.back" || fail "cp down"
cmp "$W/small.txt" "$W/small.back" || fail "small object changed on the way"
head -c $((20 * 1024 * 1024)) /dev/urandom >"$W/big.bin"
aws s3 cp --only-show-errors "$W/big.bin" s3://e2e-data/in/big.bin || fail "cp 20 MiB"
aws s3 cp --only-show-errors s3://e2e-data/in/big.bin "$W/big.back" || fail "cp 20 MiB down"
cmp "$W/big.bin" "$W/big.back" || fail "20 MiB object changed on the way"
etag=$(aws s3api head-object --bucket e2e-data --key in/big.bin | jq -r .ETag)
[[ "$etag" == *-* ]] || fail "20 MiB went up in one part? ETag $etag"
aws s3 ls s3://e2e-data/ >"$W/ls" || fail "ls"
grep -q "PRE in/" "$W/ls" || fail "ls without --recursive shows the prefix: $(cat "$W/ls")"
aws s3 ls --recursive s3://e2e-data/ >"$W/ls" || fail "ls --recursive"
grep -q "in/small.txt" "$W/ls" && grep -q "20971520 in/big.bin" "$W/ls" || fail "ls --recursive: $(cat "$W/ls")"
aws s3 ls | grep -q e2e-data || fail "ls of the buckets"
ok "cp and ls (20 MiB multipart, ETag $etag)"

step "sync both ways, rm"
mkdir -p "$W/tree/a/b" "$W/tree/c"
for f in a/1.txt a/b/2.txt c/3.txt "c/with space.txt" top.txt; do echo "content of $f" >"$W/tree/$f"; done
# Older than the upload by more than LastModified's one-second grain, or
# sync (which compares times) may see a file written this second as newer.
find "$W/tree" -type f -exec touch -d '-1 minute' {} +
aws s3 sync --only-show-errors "$W/tree" s3://e2e-data/tree || fail "sync up"
n=$(aws s3 ls --recursive s3://e2e-data/tree/ | wc -l)
is "$n" 5 "objects after sync up"
aws s3 sync --only-show-errors s3://e2e-data/tree "$W/tree.back" || fail "sync down"
diff -r "$W/tree" "$W/tree.back" || fail "the synced tree differs"
# Nothing changed: a second sync uploads nothing.
out=$(aws s3 sync "$W/tree" s3://e2e-data/tree) || fail "sync again"
[ -z "$out" ] || fail "a second sync copied again: $out"
aws s3 rm --only-show-errors s3://e2e-data/tree/top.txt || fail "rm"
aws s3 rm --only-show-errors --recursive s3://e2e-data/tree/c || fail "rm --recursive"
n=$(aws s3 ls --recursive s3://e2e-data/tree/ | wc -l)
is "$n" 2 "objects after rm"
ok "sync and rm"

step "s3api: put with metadata, head, ranges, copy, delete-objects"
aws s3api put-object --bucket e2e-data --key meta.json --body "$W/small.txt" --content-type application/json \
  --metadata owner=tutti,stage=test >"$W/put" || fail "put-object"
aws s3api head-object --bucket e2e-data --key meta.json >"$W/head" || fail "head-object"
is "$(jq -r .ContentType "$W/head")" application/json "Content-Type kept"
is "$(jq -r .Metadata.owner "$W/head")" tutti "x-amz-meta-owner kept"
is "$(jq -r .ETag "$W/head")" "\"$(md5sum <"$W/small.txt" | cut -c1-32)\"" "ETag is the MD5"
aws s3api get-object --bucket e2e-data --key meta.json --range bytes=6-9 "$W/range" >"$W/get" || fail "get-object --range"
is "$(cat "$W/range")" from "bytes=6-9"
is "$(jq -r .ContentRange "$W/get")" "bytes 6-9/23" "Content-Range"
aws s3api get-object --bucket e2e-data --key meta.json --range bytes=-4 "$W/range" >/dev/null || fail "suffix range"
is "$(cat "$W/range")" "cli" "bytes=-4"
expect_err InvalidRange aws s3api get-object --bucket e2e-data --key meta.json --range bytes=100-200 "$W/range"
aws s3api copy-object --bucket e2e-data --key copy.json --copy-source e2e-data/meta.json >"$W/copy" || fail "copy-object"
aws s3api head-object --bucket e2e-data --key copy.json >"$W/head" || fail "head the copy"
is "$(jq -r .Metadata.stage "$W/head")" test "metadata copied"
is "$(jq -r .ContentType "$W/head")" application/json "Content-Type copied"
for i in 1 2 3; do aws s3api put-object --bucket e2e-data --key "del/$i" --body "$W/small.txt" >/dev/null || fail "put del/$i"; done
aws s3api delete-objects --bucket e2e-data \
  --delete '{"Objects":[{"Key":"del/1"},{"Key":"del/2"},{"Key":"del/none"}]}' >"$W/del" || fail "delete-objects"
is "$(jq '.Deleted | length' "$W/del")" 3 "deleted (a missing key counts, as S3)"
n=$(aws s3 ls --recursive s3://e2e-data/del/ | wc -l)
is "$n" 1 "left after delete-objects"
ok "s3api object calls"

step "list-objects-v2 pagination"
for i in $(seq -w 1 7); do echo "$i" >"$W/p$i"; aws s3api put-object --bucket e2e-data --key "page/$i" --body "$W/p$i" >/dev/null; done
aws s3api list-objects-v2 --bucket e2e-data --prefix page/ --page-size 2 >"$W/l" || fail "list --page-size"
is "$(jq '.Contents | length' "$W/l")" 7 "all keys through pages of 2"
aws s3api list-objects-v2 --bucket e2e-data --prefix page/ --max-items 3 >"$W/l" || fail "list --max-items"
is "$(jq '.Contents | length' "$W/l")" 3 "max-items 3"
tok=$(jq -r .NextToken "$W/l")
aws s3api list-objects-v2 --bucket e2e-data --prefix page/ --max-items 3 --starting-token "$tok" >"$W/l" || fail "list page 2"
is "$(jq -r '.Contents[0].Key' "$W/l")" page/4 "page 2 starts after page 1"
aws s3api list-objects-v2 --bucket e2e-data --delimiter / >"$W/l" || fail "list with delimiter"
jq -e '.CommonPrefixes | map(.Prefix) | index("page/") != null' "$W/l" >/dev/null || fail "CommonPrefixes: $(cat "$W/l")"
aws s3api list-objects --bucket e2e-data --prefix page/ --page-size 3 >"$W/l" || fail "list-objects (v1)"
is "$(jq '.Contents | length' "$W/l")" 7 "v1 through markers"
ok "pagination"

step "virtual-host style, raw errors"
out=$(curl -s -H "Host: e2e-data.localhost:$PORT" "$EP/in/small.txt")
is "$out" "hello from the aws cli" "GET with Host: BUCKET.localhost"
out=$(curl -s -H "Host: e2e-data.s3.localhost" "$EP/?list-type=2&prefix=in/")
grep -q "<Key>in/small.txt</Key>" <<<"$out" || fail "virtual-host listing: $out"
code=$(curl -s -o "$W/e" -w '%{http_code}' "$EP/e2e-data/no/such/key")
is "$code" 404 "NoSuchKey status"
grep -q "<Code>NoSuchKey</Code>" "$W/e" && grep -q "<RequestId>" "$W/e" || fail "NoSuchKey body: $(cat "$W/e")"
code=$(curl -s -o "$W/e" -w '%{http_code}' --path-as-is -X PUT --data-binary x "$EP/e2e-data/../../etc/passwd")
is "$code" 400 "a key with .. segments"
[ ! -e "$TUTTI_HOME/etc/passwd" ] && [ ! -e "$TUTTI_HOME/buckets/etc" ] || fail "a key escaped its bucket"
code=$(curl -s -o "$W/e" -w '%{http_code}' -X PUT "$EP/2015-03-31")
[ "$code" != 200 ] || fail "a bucket named like Lambda's API prefix"
code=$(curl -s -o "$W/e" -w '%{http_code}' -X POST -H 'Content-Type: application/x-amz-json-1.0' \
  -H 'X-Amz-Target: AWSStepFunctions.ListStateMachines' --data '{}' "$EP/")
is "$code" 200 "POST / with X-Amz-Target is still the JSON API"
# aws-chunked framing (what SDKs send for streaming uploads): decoded.
printf '5;chunk-signature=aa\r\nhello\r\n6;chunk-signature=bb\r\n chunk\r\n0;chunk-signature=cc\r\n\r\n' >"$W/chunked"
code=$(curl -s -o "$W/e" -w '%{http_code}' -X PUT -H 'Content-Encoding: aws-chunked' \
  -H 'x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD' -H 'x-amz-decoded-content-length: 11' \
  --data-binary @"$W/chunked" "$EP/e2e-data/chunked.txt")
is "$code" 200 "an aws-chunked PUT"
is "$(curl -s "$EP/e2e-data/chunked.txt")" "hello chunk" "the aws-chunked payload"
printf '5\r\nhel' >"$W/chunked"
code=$(curl -s -o "$W/e" -w '%{http_code}' -X PUT -H 'Content-Encoding: aws-chunked' \
  --data-binary @"$W/chunked" "$EP/e2e-data/chunked.txt")
is "$code" 400 "a truncated aws-chunked body"
is "$(curl -s "$EP/e2e-data/chunked.txt")" "hello chunk" "a failed PUT leaves the old object"
code=$(curl -s -o "$W/e" -w '%{http_code}' -X PUT -H 'Content-MD5: AAAAAAAAAAAAAAAAAAAAAA==' --data-binary x "$EP/e2e-data/md5.txt")
is "$code" 400 "a wrong Content-MD5"
grep -q BadDigest "$W/e" || fail "BadDigest: $(cat "$W/e")"
expect_err NoSuchBucket aws s3 ls s3://no-such-bucket
expect_err "(404)" aws s3api head-object --bucket e2e-data --key nope  # HEAD: 404 without a body, as S3
expect_err BucketNotEmpty aws s3api delete-bucket --bucket e2e-data
expect_err InvalidBucketName aws s3api create-bucket --bucket Bad_Name
expect_err BucketAlreadyOwnedByYou aws s3api create-bucket --bucket e2e-data
ok "virtual host and errors"

step "a state machine and tutti bucket read what aws s3 cp wrote"
printf '{"todo":"buy milk"}' >"$W/todo.json"
aws s3 cp --only-show-errors --content-type application/json "$W/todo.json" s3://e2e-data/todos/today.json || fail "cp todo"
is "$("$TUTTI" bucket get e2e-data todos/today.json)" '{"todo":"buy milk"}' "tutti bucket get"
cat >"$W/read.json" <<'EOF'
{"StartAt":"Get","States":{"Get":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:getObject",
 "Parameters":{"Bucket":"e2e-data","Key":"todos/today.json"},"ResultSelector":{"body.$":"$.Body"},"End":true}}}
EOF
run 0 "$TUTTI" run "$W/read.json"
grep -q 'buy milk' "$W/out" || fail "the state machine read: $(cat "$W/out")"
"$TUTTI" bucket put e2e-data from-tutti.txt 'written by tutti' >/dev/null || fail "tutti bucket put"
aws s3 cp --only-show-errors s3://e2e-data/from-tutti.txt "$W/ft" || fail "cp what tutti wrote"
is "$(cat "$W/ft")" "written by tutti" "aws s3 cp reads tutti's object"
ok "one store"

step "boto3"
if /usr/bin/python3 -c 'import boto3' 2>/dev/null; then
  /usr/bin/python3 - "$EP" <<'EOF' || fail "boto3"
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id="tutti", aws_secret_access_key="tutti")
s3.put_object(Bucket="e2e-data", Key="boto/x.json", Body=b'{"from":"boto3"}', ContentType="application/json")
got = s3.get_object(Bucket="e2e-data", Key="boto/x.json")
assert got["Body"].read() == b'{"from":"boto3"}', got
assert got["ContentType"] == "application/json", got["ContentType"]
keys = [o["Key"] for o in s3.list_objects_v2(Bucket="e2e-data", Prefix="boto/")["Contents"]]
assert keys == ["boto/x.json"], keys
try:
    s3.get_object(Bucket="e2e-data", Key="boto/none")
    raise SystemExit("no error for a missing key")
except s3.exceptions.NoSuchKey:
    pass
print("boto3 ok")
EOF
  ok "boto3 put_object/get_object/list_objects_v2"
else
  echo "note: /usr/bin/python3 has no boto3; the boto3 part is not run"
fi

step "empty the bucket, remove it"
aws s3 rm --only-show-errors --recursive s3://e2e-data || fail "rm --recursive"
aws s3 rb s3://e2e-data >/dev/null || fail "rb"
expect_err "(404)" aws s3api head-bucket --bucket e2e-data
ls "$TUTTI_HOME/s3-uploads" | grep -q . && fail "multipart staging left behind: $(ls "$TUTTI_HOME/s3-uploads")"
ok "done"
