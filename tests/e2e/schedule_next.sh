#!/usr/bin/env bash
# tutti schedule next: one ISO-8601 UTC time a line, -n, --tz, --from,
# rate() anchored at --from, at() once; exit 2 with a located message for a
# bad expression, zone, time or -n.
# Needs $TUTTI (the CLI) and $TUTTI_TOP (the source tree).
. "$(dirname "$0")/lib.sh"
e2e_init schedule_next

# expect WANT ARGS...: exit 0 and exactly WANT (lines) on stdout, nothing on stderr.
expect() {
  local want=$1; shift
  run 0 "$TUTTI" schedule next "$@"
  [ ! -s "$W/err" ] || fail "'$*' wrote on stderr: $(cat "$W/err")"
  is "$(cat "$W/out")" "$want" "schedule next $*"
}

step "format, default -n 5"
expect "2026-12-05T12:00:00Z
2026-12-06T12:00:00Z
2026-12-07T12:00:00Z
2026-12-08T12:00:00Z
2026-12-09T12:00:00Z" 'cron(0 12 * * ? *)' --from 2026-12-05T00:00:00Z
ok "five lines"

step "-n, --from forms"
expect "2026-12-06T12:00:00Z" 'cron(0 12 * * ? *)' -n 1 --from 2026-12-05T12:00:00Z
expect "2026-12-05T12:00:00Z" 'cron(0 12 * * ? *)' -n 1 --from 2026-12-05
expect "2026-12-05T12:00:00Z" 'cron(0 12 * * ? *)' -n 1 --from 2026-12-05T12:59:00+01:00
expect "2026-12-05T12:00:00Z" 'cron(0 12 * * ? *)' -n1 --from=2026-12-05
run 0 "$TUTTI" schedule next 'cron(* * * * ? *)' -n 1000 --from 2026-01-01T00:00:00Z
is "$(wc -l <"$W/out")" 1000 "-n 1000 lines"
is "$(tail -1 "$W/out")" "2026-01-01T16:40:00Z" "the 1000th minute"
ok "-n and --from"

step "now is the default --from"
run 0 "$TUTTI" schedule next 'rate(1 minute)' -n 2
[ "$(wc -l <"$W/out")" = 2 ] || fail "want 2 lines: $(cat "$W/out")"
grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "$W/out" || fail "not ISO-8601 UTC: $(cat "$W/out")"
first=$(date -u -d "$(head -1 "$W/out")" +%s)
now=$(date -u +%s)
[ "$first" -gt $((now - 5)) ] && [ "$first" -le $((now + 65)) ] || fail "first fire $first not within a minute of $now"
ok "now"

step "rate anchors at --from; at prints once or nothing"
expect "2026-01-01T00:05:00Z
2026-01-01T00:10:00Z" 'rate(5 minutes)' -n 2 --from 2026-01-01T00:00:00Z
expect "2026-07-01T09:00:00Z" 'at(2026-07-01T09:00:00)' --from 2026-01-01
expect "" 'at(2026-07-01T09:00:00)' --from 2026-08-01
expect "2199-01-01T00:00:00Z" 'cron(0 0 1 1 ? 2199)' --from 2198-06-01
ok "rate, at, the last year"

step "--tz: daylight saving"
if [ -r /usr/share/zoneinfo/America/New_York ]; then
  # 2026-03-08 02:30 does not exist in New York: skipped
  expect "2026-03-07T07:30:00Z
2026-03-09T06:30:00Z" 'cron(30 2 * * ? *)' --tz America/New_York -n 2 --from 2026-03-07T00:00:00Z
  # 2026-11-01 01:30 exists twice: once, the first time
  expect "2026-11-01T05:30:00Z
2026-11-02T06:30:00Z" 'cron(30 1 * * ? *)' --tz America/New_York -n 2 --from 2026-10-31T12:00:00Z
  # --from without an offset is a wall time in --tz
  expect "2026-07-01T07:00:00Z" 'at(2026-07-01T09:00:00)' --tz Europe/Berlin --from 2026-07-01T08:59:00
  expect "" 'at(2026-07-01T09:00:00)' --tz Europe/Berlin --from 2026-07-01T09:00:00
  ok "zones"
else
  no_tzdata=1
fi

step "errors: exit 2, located message on stderr, nothing on stdout"
refused "cron(0 12 * * * *): field 5 (day-of-week): one of day-of-month and day-of-week must be '?' (column 15)" \
  "$TUTTI" schedule next 'cron(0 12 * * * *)'
grep -q '^tutti: schedule next: ValidationException: ' "$W/err" || fail "error prefix: $(cat "$W/err")"
refused "field 1 (minutes): value 60 is out of range 0-59 (column 6)" "$TUTTI" schedule next 'cron(60 12 * * ? *)'
refused "rate(1 minutes): the value 1 takes the singular unit 'minute' (column 8)" "$TUTTI" schedule next 'rate(1 minutes)'
refused "rate(5 minute): a value above 1 takes the plural unit 'minutes' (column 8)" "$TUTTI" schedule next 'rate(5 minute)'
refused "at takes a date and time yyyy-mm-ddThh:mm:ss" "$TUTTI" schedule next 'at(2026-02-30T00:00:00)'
refused "unknown time zone 'Mars/Base'" "$TUTTI" schedule next 'cron(0 12 * * ? *)' --tz Mars/Base
refused "'..' is not allowed in a zone name" "$TUTTI" schedule next 'cron(0 12 * * ? *)' --tz ../../etc/passwd
refused "not a path" "$TUTTI" schedule next 'cron(0 12 * * ? *)' --tz /etc/passwd
refused "'yesterday' is not an ISO-8601 time" "$TUTTI" schedule next 'cron(0 12 * * ? *)' --from yesterday
refused "-n must be a whole number 1-1000" "$TUTTI" schedule next 'cron(0 12 * * ? *)' -n 1001
refused "-n must be a whole number 1-1000" "$TUTTI" schedule next 'cron(0 12 * * ? *)' -n 0
refused "missing EXPR" "$TUTTI" schedule next
refused "unknown subcommand" "$TUTTI" schedule nxt 'cron(0 12 * * ? *)'
ok "errors"

step "help"
run 0 "$TUTTI" schedule next --help
grep -q 'usage: tutti schedule next EXPR' "$W/out" || fail "help: $(cat "$W/out")"
ok "help"
# Everything else passed; a part that could not run is a SKIP, never a PASS.
[ -z "${no_tzdata:-}" ] || skip "no /usr/share/zoneinfo (tzdata): the time zone checks did not run"
echo "schedule_next: passed"
