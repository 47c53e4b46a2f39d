#!/usr/bin/env bash
# End-to-end: a Map state whose items come from an ItemReader, through
# `tutti run`, against the file bucket store ($TUTTI_HOME/buckets) and
# against s3rver on 127.0.0.1 (both signatures), then once through
# `tutti serve` (a state machine created and started through the API).
# JSON, JSONL, CSV with both header locations and every delimiter, a
# listing over more than 1,000 keys (pages), MaxItems and MaxItemsPath,
# JSONata Arguments with ItemBatcher expressions, and the errors: a missing
# key, malformed objects, an object over tutti's cap, caught by Catch.
#
# s3rver comes from `npm install --prefix /opt/s3rver s3rver@3.7.1` (.ci/run
# installs it); without it the s3rver part is skipped and says so (unless
# TUTTI_REQUIRE_S3RVER=1), the file-store and serve parts still run.
. "$(dirname "$0")/lib.sh"
e2e_init itemreader
need jq python3 curl
T=$TUTTI
S3RVER=${TUTTI_S3RVER:-/opt/s3rver/node_modules/.bin/s3rver}
B=e2e-bucket

PROC='"ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
  "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'
# reader NAME READER_JSON [MORE_MAP_FIELDS]: a one-Map machine in $W/NAME.json
reader() {
  echo "{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", $PROC, \"ItemReader\": $2 ${3:+, $3},
    \"End\": true}}}" >"$W/$1.json"
}
get_reader() {   # get_reader NAME CONFIG_JSON [MORE]: getObject of $.key in $.bucket
  reader "$1" "{\"Resource\": \"arn:aws:states:::s3:getObject\", \"ReaderConfig\": $2,
    \"Parameters\": {\"Bucket.\$\": \"\$.bucket\", \"Key.\$\": \"\$.key\"}}" "${3:-}"
}
# put KEY FILE: an object of the current store (PUT_FN: how, per store)
put() { "$PUT_FN" "$1" "$2"; }
# runs NAME KEY [RC]: tutti run NAME.json on {bucket, key}; stdout in $W/out
runs() { run "${3:-0}" "$T" run "$W/$1.json" --input "{\"bucket\": \"$B\", \"key\": \"$2\", \"max\": 2}"; }
err_is() {   # err_is ERROR CAUSE_PART WHAT
  is "$(field .error)" "$1" "$3: error"
  field .cause | grep -qF -- "$2" || fail "$3: cause lacks '$2': $(field .cause)"
}

# ---- the objects ------------------------------------------------------------------------
D=$W/data; mkdir -p "$D"
echo '[{"id": 1}, {"id": 2, "tags": ["a"]}, "three", 4]' >"$D/items.json"
printf '{"id": 1}\n\n{"id": 2}\r\n[3]\n"four"\n' >"$D/items.jsonl"
printf 'name,note,qty\r\n"Smith, J","said ""hi""",1\r\n"two\nlines",,2\r\n' >"$D/first.csv"
printf 'a\t1\n"b\tc"\t2\n' >"$D/tab.csv"
printf 'a|1\n"b|c"|2\n' >"$D/pipe.csv"
printf 'a;1\n"b;c";2\n' >"$D/semicolon.csv"
printf 'a 1\n"b c" 2\n' >"$D/space.csv"
printf 'name,qty\n"unterminated,1\n' >"$D/bad.csv"
printf 'name,qty\nx,1,extra\n' >"$D/short.csv"
echo '{"not": "an array"}' >"$D/object.json"
echo '[1, 2' >"$D/truncated.json"
python3 -c 'import sys; sys.stdout.write("\n" * (9 * 1024 * 1024))' >"$D/big.jsonl"

# ---- the machines -----------------------------------------------------------------------
get_reader json '{"InputType": "JSON"}'
get_reader jsonl '{"InputType": "JSONL", "MaxItemsPath": "$.max"}'
get_reader csv '{"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}'
for d in TAB PIPE SEMICOLON SPACE; do
  get_reader "csv_$d" "{\"InputType\": \"CSV\", \"CSVHeaderLocation\": \"GIVEN\",
    \"CSVHeaders\": [\"k\", \"v\"], \"CSVDelimiter\": \"$d\"}"
done
reader list '{"Resource": "arn:aws:states:::s3:listObjectsV2",
  "Parameters": {"Bucket.$": "$.bucket", "Prefix": "many/"}}' '"ItemBatcher": {"MaxItemsPerBatch": 400}'
reader list_max '{"Resource": "arn:aws:states:::s3:listObjectsV2", "ReaderConfig": {"MaxItems": 3},
  "Parameters": {"Bucket.$": "$.bucket", "Prefix": "many/"}}'
cat >"$W/jsonata.json" <<'EOF'
{"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
  "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
    "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": "{% $states.input.max %}"},
    "Arguments": {"Bucket": "{% $states.input.bucket %}", "Key": "{% $states.input.key %}"}},
  "ItemSelector": {"who": "{% $states.context.Map.Item.Value.name %}", "i": "{% $states.context.Map.Item.Index %}"},
  "ItemBatcher": {"MaxItemsPerBatch": "{% $states.input.max - 1 %}", "BatchInput": {"from": "{% $states.input.key %}"}},
  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
    "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
  "End": true}}}
EOF
# The reader's error goes through Catch like any state error.
jq '.States.M += {"Catch": [{"ErrorEquals": ["States.ItemReaderFailed"], "ResultPath": "$.err", "Next": "Done"}],
                  "Next": "Done"} | del(.States.M.End) | .States.Done = {"Type": "Pass", "End": true}' \
  "$W/json.json" >"$W/caught.json"

# ResultWriter: the CSV's rows, the one with qty 1 failing (tolerated), the
# results written under $.prefix as JSON Lines; the Map's result says where.
cat >"$W/writer.json" <<'EOF'
{"StartAt": "M", "States": {"M": {"Type": "Map", "ToleratedFailureCount": 1,
  "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV"},
    "Parameters": {"Bucket.$": "$.bucket", "Key": "first.csv"}},
  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
    "StartAt": "C", "States": {
      "C": {"Type": "Choice", "Choices": [{"Variable": "$.qty", "StringEquals": "1", "Next": "F"}], "Default": "P"},
      "F": {"Type": "Fail", "Error": "Qty.One", "Cause": "qty is 1"},
      "P": {"Type": "Pass", "Parameters": {"n.$": "$.name"}, "End": true}}},
  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
    "Parameters": {"Bucket.$": "$.out", "Prefix.$": "$.prefix"},
    "WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSONL"}},
  "End": true}}}
EOF

suite() {   # the checks, on the store the environment names
  local n
  for f in "$D"/*; do put "$(basename "$f")" "$f"; done
  step "$1: JSON, JSONL with MaxItemsPath"
  runs json items.json; same '[{"id": 1}, {"id": 2, "tags": ["a"]}, "three", 4]'
  runs jsonl items.jsonl; same '[{"id": 1}, {"id": 2}]'
  step "$1: CSV, header row and RFC 4180 quoting"
  runs csv first.csv
  same '[{"name": "Smith, J", "note": "said \"hi\"", "qty": "1"}, {"name": "two\nlines", "note": "", "qty": "2"}]'
  step "$1: CSV, given headers, every delimiter"
  for d in TAB PIPE SEMICOLON SPACE; do
    runs "csv_$d" "$(tr A-Z a-z <<<"$d").csv"
    sep=$(case $d in TAB) printf '\t';; PIPE) echo '|';; SEMICOLON) echo ';';; SPACE) echo ' ';; esac)
    same "$(jq -nc --arg s "b${sep}c" '[{"k": "a", "v": "1"}, {"k": $s, "v": "2"}]')"
  done
  step "$1: listObjectsV2 over 1,005 keys (pages of 1,000), batched"
  runs list x
  is "$(jq -c '[.[] | .Items | length]' "$W/out")" '[400,400,205]' "batches of the listing"
  is "$(jq -r '.[2].Items[-1].Key' "$W/out")" "many/01004" "last key"
  is "$(jq -c '.[0].Items[0] | [.Size, .StorageClass, (.LastModified | type), (.Etag | type)]' "$W/out")" \
    '[1,"STANDARD","number","string"]' "a listed object"
  runs list_max x; is "$(jq -c '[.[].Key]' "$W/out")" '["many/00000","many/00001","many/00002"]' "MaxItems 3"
  step "$1: JSONata Arguments, MaxItems and ItemBatcher as expressions"
  run 0 "$T" run "$W/jsonata.json" --input "{\"bucket\": \"$B\", \"key\": \"first.csv\", \"max\": 2}"
  same '[{"Items": [{"who": "Smith, J", "i": 0}], "BatchInput": {"from": "first.csv"}},
         {"Items": [{"who": "two\nlines", "i": 1}], "BatchInput": {"from": "first.csv"}}]'
  step "$1: ResultWriter exports to S3 (COMPACT, JSONL)"
  run 0 "$T" run "$W/writer.json" --input "{\"bucket\": \"$B\", \"out\": \"$B\", \"prefix\": \"results\"}"
  mkey=$(field .ResultWriterDetails.Key)
  is "$(field .ResultWriterDetails.Bucket)" "$B" "the writer's bucket"
  [[ $mkey == results/*/manifest.json ]] || fail "manifest key: $mkey"
  [[ $(field .MapRunArn) == arn:aws:states:*:mapRun:writer/M:* ]] || fail "MapRunArn: $(field .MapRunArn)"
  run 0 "$T" bucket get "$B" "$mkey"
  is "$(jq -c '[(.ResultFiles.SUCCEEDED | length), (.ResultFiles.FAILED | length), (.ResultFiles.PENDING | length)]' "$W/out")" \
    '[1,1,0]' "the manifest's files"
  skey=$(jq -r '.ResultFiles.SUCCEEDED[0].Key' "$W/out") fkey=$(jq -r '.ResultFiles.FAILED[0].Key' "$W/out")
  [[ $skey == ${mkey%manifest.json}SUCCEEDED_0.jsonl ]] || fail "succeeded file: $skey"
  run 0 "$T" bucket get "$B" "$skey"
  is "$(cat "$W/out")" '{"n":"two\nlines"}' "the succeeded results, compact, one per line"
  run 0 "$T" bucket get "$B" "$fkey"
  is "$(jq -r '[.Status, .Error, .Cause, (.Input | fromjson | .qty)] | join(" ")' "$W/out")" \
    "FAILED Qty.One qty is 1 1" "the failed iteration's record"
  run 1 "$T" run "$W/writer.json" --input "{\"bucket\": \"$B\", \"out\": \"no-such-bucket\", \"prefix\": \"r\"}"
  err_is States.ResultWriterFailed NoSuchBucket "writing to a missing bucket"
  step "$1: errors"
  runs json nope.json 1; err_is States.ItemReaderFailed NoSuchKey "a missing key"
  runs csv bad.csv 1; err_is States.ItemReaderFailed "closing quote" "a quote left open"
  runs csv short.csv 1; err_is States.ItemReaderFailed "row 2 has 3 fields" "a row too long"
  runs json object.json 1; err_is States.ItemReaderFailed "not an array" "a JSON object"
  runs json truncated.json 1; err_is States.ItemReaderFailed "not valid JSON" "truncated JSON"
  get_reader big '{"InputType": "JSONL"}'
  runs big big.jsonl 1; err_is States.ItemReaderFailed "larger than 8388608 bytes" "an object over the cap"
  runs caught nope.json 0
  is "$(field .err.Error)" States.ItemReaderFailed "Catch sees the reader's error"
  ok "$1"
}

# ---- the file store ---------------------------------------------------------------------
file_put() { mkdir -p "$(dirname "$TUTTI_HOME/buckets/$B/$1")"; cp "$2" "$TUTTI_HOME/buckets/$B/$1"; }
run 0 "$T" bucket create "$B"
# 1,005 keys written straight into the store's folder (1,005 `tutti bucket put`
# would take 20 s): the file store serves them, without an ETag of their own.
for i in $(seq 0 1004); do printf -v k 'many/%05d' "$i"; mkdir -p "$TUTTI_HOME/buckets/$B/many"; echo -n x >"$TUTTI_HOME/buckets/$B/$k"; done
PUT_FN=file_put
suite "file store"

step "tutti validate points at the field"
jq '.States.M.ItemReader.ReaderConfig.CSVDelimiter = "COLON"' "$W/csv.json" >"$W/badv.json"
run 2 "$T" validate "$W/badv.json"
grep -qF '$.States.M.ItemReader.ReaderConfig.CSVDelimiter: must be "COMMA"' "$W/out" "$W/err" ||
  fail "validate: $(cat "$W/out" "$W/err")"

# ---- tutti serve: a state machine through the API ------------------------------------------
step "tutti serve runs the ItemReader too"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$T" serve --listen "127.0.0.1:$PORT" >"$W/serve.log" 2>&1 &
SERVE_PID=$!; E2E_PIDS+=("$SERVE_PID")
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.05; done
(
  export TUTTI_ENDPOINT=http://127.0.0.1:$PORT
  run 0 "$T" state-machine create irsm --definition "$W/csv.json"
  run 0 "$T" execution start irsm --input "{\"bucket\": \"$B\", \"key\": \"first.csv\"}"
  X=$(field .executionArn)
  for _ in $(seq 200); do
    run 0 "$T" execution describe "$X"; [ "$(field .status)" != RUNNING ] && break; sleep 0.05
  done
  is "$(field .status)" SUCCEEDED "the served execution"
  is "$(field .output | jq -c '[.[].name]')" '["Smith, J","two\nlines"]' "the served execution's output"
  run 0 "$T" execution history "$X" --output json
  is "$(jq -r '.events[] | select(.type == "MapStateStarted") | .mapStateStartedEventDetails.length' "$W/out")" 2 \
    "MapStateStarted's length"
)
kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true
ok "serve"

# ---- s3rver ----------------------------------------------------------------------------------
if [ ! -x "$S3RVER" ]; then
  [ "${TUTTI_REQUIRE_S3RVER:-0}" = 1 ] && fail "s3rver not found at $S3RVER"
  echo "SKIP (part): s3rver not found at $S3RVER (npm install --prefix /opt/s3rver s3rver@3.7.1)"
  exit 0
fi
mkdir -p "$W/s3"
NODE_OPTIONS=--openssl-legacy-provider "$S3RVER" -d "$W/s3" -a 127.0.0.1 -p 0 --configure-bucket "$B" \
  --allow-mismatched-signatures >"$W/s3rver.log" 2>&1 &
E2E_PIDS+=($!)
for _ in $(seq 100); do
  S3PORT=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$W/s3rver.log" | head -1)
  [ -n "$S3PORT" ] && break; sleep 0.1
done
[ -n "$S3PORT" ] || { cat "$W/s3rver.log"; fail "s3rver did not start"; }
# Objects go in with plain PUTs (s3rver takes anonymous ones), 1,005 on one connection.
s3_put() { curl -sf -X PUT --data-binary "@$2" "http://127.0.0.1:$S3PORT/$B/$1" >/dev/null || fail "PUT $1"; }
python3 - "$S3PORT" "$B" <<'EOF' || fail "s3rver PUTs"
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
for i in range(1005):
    c.request("PUT", "/%s/many/%05d" % (sys.argv[2], i), body=b"x")
    r = c.getresponse(); r.read()
    assert r.status == 200, r.status
EOF
PUT_FN=s3_put
export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$S3PORT AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER \
       AWS_REGION=us-east-1 TUTTI_S3_PATH_STYLE=1
TUTTI_S3_SIGV4=1 suite "s3rver, SigV4"
export TUTTI_S3_SIGV4=0
step "s3rver, SigV2 (libs3): a listing and a CSV"
runs list x; is "$(jq -c '[.[] | .Items | length]' "$W/out")" '[400,400,205]' "SigV2 listing"
runs csv first.csv; is "$(jq -c '[.[].qty]' "$W/out")" '["1","2"]' "SigV2 CSV"
ok "s3rver"
