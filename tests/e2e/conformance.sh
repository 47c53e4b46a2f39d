#!/usr/bin/env bash
# End-to-end: every shared ASL conformance case through `tutti run`, with
# the example functions bound by --function, checked by the shared
# checker ($TUTTI_TOP/../shared/conformance/check.sh). Exits non-zero on any
# failure; skips (exit 77 after a SKIP line: scripts/run-e2e.sh) when the
# shared folder is absent.
# Needs $TUTTI, $TUTTI_TOP, $BUILD and jq.
set -euo pipefail
: "${TUTTI:?}" "${TUTTI_TOP:?}"
BUILD=${BUILD:-build}
SHARED="$TUTTI_TOP/../shared/conformance"
if [ ! -x "$SHARED/check.sh" ]; then
  echo "SKIP: no conformance suite at $SHARED (check.sh missing)"
  exit 77
fi
FN="$TUTTI_TOP/$BUILD/functions"
for f in echo add fail flaky sleep; do
  [ -f "$FN/$f.so" ] || { echo "FAIL: $FN/$f.so is missing (run make)" >&2; exit 1; }
done
W=$(mktemp -d /tmp/tutti-conf.XXXXXX)
trap 'rm -rf "$W"' EXIT
cat >"$W/runner.sh" <<RUNNER
#!/usr/bin/env bash
exec "$TUTTI" run "\$1" --input @"\$2" \\
  --function echo="$FN/echo.so" --function add="$FN/add.so" --function fail="$FN/fail.so" \\
  --function flaky="$FN/flaky.so" --function sleep="$FN/sleep.so"
RUNNER
chmod +x "$W/runner.sh"
"$SHARED/check.sh" -j 2 "$W/runner.sh" | tee "$W/result"
tail -1 "$W/result" | grep -q ', 0 failed$'
