#!/usr/bin/env bash
# End-to-end: tutti graph. Every conformance definition and the examples'
# definitions drawn as SVG (exit 0, well-formed XML, one <g id="state:NAME">
# per state, nested ones included), DOT and Mermaid; --execution against a
# real `tutti serve` with a caught failure and an uncaught one (the SVG's
# classes carry each state's status, also after the server stopped); an
# unknown execution (exit 1) and usage errors (exit 2).
# Needs $TUTTI, $TUTTI_TOP, a fresh $TUTTI_HOME, jq, curl and python3.
. "$(dirname "$0")/lib.sh"
e2e_init graph
need jq curl python3
unset TUTTI_ENDPOINT

# svg_check SVG DEF: the SVG parses, and each state of DEF (at any depth)
# has its <g id="state:NAME" class="node state type-TYPE...">; prints how
# many states it checked.
cat >"$W/check.py" <<'EOF'
import json, sys, xml.dom.minidom
svg, definition = sys.argv[1], sys.argv[2]
doc = xml.dom.minidom.parse(svg)
groups = {g.getAttribute("id"): g.getAttribute("class").split() for g in doc.getElementsByTagName("g")}
def walk(machine, out):
    for name, st in (machine.get("States") or {}).items():
        out.append((name, st.get("Type")))
        for key in ("ItemProcessor", "Iterator"):
            if isinstance(st.get(key), dict):
                walk(st[key], out)
        for b in st.get("Branches") or []:
            walk(b, out)
    return out
states = walk(json.load(open(definition)), [])
for name, typ in states:
    cls = groups.get("state:" + name)
    if cls is None:
        sys.exit("no <g id=\"state:%s\"> in %s" % (name, svg))
    if "state" not in cls or ("type-" + typ) not in cls:
        sys.exit("state:%s has classes %s" % (name, cls))
for want in ("__start", "__end"):
    if want not in groups:
        sys.exit("no <g id=\"%s\">" % want)
print(len(states))
EOF
# status_of SVG NAME: the status-* class of state NAME's node
status_of() {
  python3 - "$1" "$2" <<'EOF'
import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
for g in doc.getElementsByTagName("g"):
    if g.getAttribute("id") == "state:" + sys.argv[2]:
        print(" ".join(c[7:] for c in g.getAttribute("class").split() if c.startswith("status-")) or "none")
        break
else:
    print("absent")
EOF
}

step "every conformance and example definition as SVG"
n=0 states=0
for def in "$TUTTI_TOP"/tests/data/conformance/*/definition.asl.json "$TUTTI_TOP"/examples/*/*.asl.json \
           "$TUTTI_TOP"/tests/data/graph/*.asl.json; do
  run 0 "$TUTTI" graph "$def" --format svg -o "$W/g.svg"
  [ ! -s "$W/out" ] || fail "graph -o FILE printed on stdout: $def"
  k=$(python3 "$W/check.py" "$W/g.svg" "$def") || fail "$def: $k"
  n=$((n + 1)) states=$((states + k))
done
[ "$n" -ge 50 ] || fail "only $n definitions found"
ok "$n definitions, $states states, each with its <g id=\"state:NAME\">"

step "dot and mermaid"
DEF="$TUTTI_TOP/tests/data/graph/catch_retry.asl.json"
run 0 "$TUTTI" graph "$DEF"
head -1 "$W/out" | grep -q '^digraph ' || fail "dot: $(head -1 "$W/out")"
grep -q 'id="state:Give up", class="state type-Fail"' "$W/out" || fail "dot: no node for 'Give up'"
grep -q 'class="edge-catch", label="E1, E2"' "$W/out" || fail "dot: no catch edge"
dot -Tsvg "$W/out" >/dev/null 2>&1 || ! command -v dot >/dev/null || fail "dot cannot lay out tutti's DOT"
run 0 "$TUTTI" graph "$DEF" --format mermaid -o -
head -1 "$W/out" | grep -q '^flowchart TD$' || fail "mermaid: $(head -1 "$W/out")"
grep -q -- '-.->|"E1, E2"|' "$W/out" || fail "mermaid: no dashed catch edge"
grep -q 'subgraph' "$W/out" && fail "mermaid: a subgraph in a machine without Map or Parallel"
run 0 "$TUTTI" graph "$TUTTI_TOP/tests/data/graph/nested.asl.json" --format mermaid
[ "$(grep -c "subgraph" "$W/out")" = 7 ] || fail "mermaid: $(grep -c subgraph "$W/out") subgraphs, expected 7 (3 clusters of states, 4 branches)"
ok "DOT and Mermaid"

step "usage errors"
refused "must be dot, svg or mermaid" "$TUTTI" graph "$DEF" --format png
refused "missing DEFINITION.json" "$TUTTI" graph
refused "cannot read" "$TUTTI" graph "$W/nope.json"
echo '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}' >"$W/bad.json"
refused "$.States.A.Next: no state named 'B'" "$TUTTI" graph "$W/bad.json"
echo '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "${Who}", "End": true}}}' >"$W/sub.json"
refused "unresolved placeholder \${Who}" "$TUTTI" graph "$W/sub.json"
run 0 "$TUTTI" graph "$W/sub.json" --substitute Who=me
ok "exit 2 with the reason"

step "--execution against tutti serve"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
wait_for() { local i; for i in $(seq 200); do "$@" && return 0; sleep 0.05; done; return 1; }
"$TUTTI" serve --listen "127.0.0.1:$PORT" 2>"$W/serve.log" &
SERVE=$!
E2E_PIDS+=("$SERVE")
wait_for curl -sf "http://127.0.0.1:$PORT/health" -o /dev/null || { cat "$W/serve.log"; fail "tutti serve did not start"; }
for f in fail flaky; do run 0 "$TUTTI" function create "$f" --code "$FN/$f.so"; done
wait_end() {
  local i
  for i in $(seq 300); do
    run 0 "$TUTTI" execution describe "$1"
    [ "$(field .status)" != RUNNING ] && return 0
    sleep 0.1
  done
  fail "$1 still RUNNING"
}
# Call fails with E1 three times (IntervalSeconds 1: ~3 s), is caught into Recover
run 0 "$TUTTI" state-machine create caught --definition "$DEF"
run 0 "$TUTTI" execution start caught --name one
X=$(field .executionArn)
wait_end "$X"; is "$(field .status)" SUCCEEDED "the caught execution"
run 0 "$TUTTI" graph "$DEF" --execution "$X" --format svg -o "$W/x.svg"
python3 "$W/check.py" "$W/x.svg" "$DEF" >/dev/null || fail "the coloured SVG"
is "$(status_of "$W/x.svg" Flaky)" SUCCEEDED "Flaky (retried once)"
is "$(status_of "$W/x.svg" Call)" CAUGHT "Call"
is "$(status_of "$W/x.svg" Recover)" SUCCEEDED "Recover"
is "$(status_of "$W/x.svg" Done)" SUCCEEDED "Done"
is "$(status_of "$W/x.svg" "Give up")" NOT_REACHED "Give up"
grep -qi 'fill="#E69F00"' "$W/x.svg" || fail "no caught fill colour in the SVG"
grep -q 'one: SUCCEEDED' "$W/x.svg" || fail "no title"
ok "caught: Call CAUGHT, Give up NOT_REACHED, the rest SUCCEEDED"
UNCAUGHT="$TUTTI_TOP/tests/data/graph/uncaught.asl.json"
run 0 "$TUTTI" state-machine create uncaught --definition "$UNCAUGHT"
run 0 "$TUTTI" execution start uncaught --name two
Y=$(field .executionArn)
wait_end "$Y"; is "$(field .status)" FAILED "the failing execution"
run 0 "$TUTTI" graph "$UNCAUGHT" --execution "$Y" --format svg -o "$W/y.svg"
is "$(status_of "$W/y.svg" Prepare)" SUCCEEDED "Prepare"
is "$(status_of "$W/y.svg" Call)" FAILED "Call"
is "$(status_of "$W/y.svg" After)" NOT_REACHED "After"
run 0 "$TUTTI" graph "$UNCAUGHT" --execution "$Y" --format mermaid
grep -q 's3("Call<br/><small>Task · ✗ failed</small>"):::FAILED' "$W/out" || fail "mermaid: $(grep Call "$W/out")"
ok "failed: Call FAILED, After NOT_REACHED"
run 0 "$TUTTI" graph "$DEF" --execution "$Y"
grep -q "warning: the execution entered states this definition does not have: 'Prepare'" "$W/err" ||
  fail "another machine's execution: $(cat "$W/err")"
run 0 "$TUTTI" graph "$UNCAUGHT" --execution "$Y"
[ ! -s "$W/err" ] || fail "a warning for the right machine: $(cat "$W/err")"
ok "a warning when the execution is another machine's"
run 1 "$TUTTI" graph "$DEF" --execution "${X%:*}:nope"
grep -q "ExecutionDoesNotExist" "$W/err" || fail "unknown execution: $(cat "$W/err")"
ok "an unknown execution: exit 1, ExecutionDoesNotExist"
kill -TERM "$SERVE"; wait "$SERVE" || true
E2E_PIDS=()
run 0 "$TUTTI" graph "$DEF" --execution "$X" --format svg -o "$W/x2.svg"
is "$(status_of "$W/x2.svg" Call)" CAUGHT "Call, read from the store with no server"
ok "read from the store after the server stopped"
