#!/usr/bin/env bash
# An error cause that quotes text of multi-byte characters, cut at a byte
# count (the expression at 200 bytes), must stay UTF-8: it used to be cut
# inside a character, jansson refused it, and `tutti run` printed an empty
# line where the cause was ("cause": null in serve). The quote must end at
# a character boundary (no U+FFFD in it: cut before, not through).
. "$(dirname "$0")/lib.sh"
e2e_init cause_utf8
need jq python3

python3 - "$W/cut.json" <<'PY'
import json, sys
expr = '($x := "a' + "\U0001F600" * 60 + '"; $error("boom"))'
json.dump({"QueryLanguage": "JSONata", "StartAt": "P",
           "States": {"P": {"Type": "Pass", "Output": "{% " + expr + " %}", "End": True}}},
          open(sys.argv[1], "w"))
PY
run 1 "$TUTTI" run "$W/cut.json" --input '{}'
tail -1 "$W/out" >"$W/last"
jq -e . "$W/last" >/dev/null || fail "the result is not JSON: $(head -c 300 "$W/last")"
is "$(jq -r .error "$W/last")" States.QueryEvaluationError "the error"
C=$(jq -r .cause "$W/last")
[ "$C" != null ] && [ -n "$C" ] || fail "the cause was lost: $(head -c 300 "$W/last")"
echo "$C" | grep -q "😀' specified for the field 'Output' threw an error during evaluation" ||
  fail "the quote does not end on a whole character: $C"
echo "$C" | grep -q $'\xef\xbf\xbd' && fail "the quote was cut through a character: $C"
echo "$C" | grep -q "boom" || fail "the cause lost the error's message: $C"
ok "the cause: ${C:0:120}..."
