# scheduler: EventBridge schedule expressions (cron, rate, at) in IANA time
# zones, and the bookkeeping of fires (names, flexible windows, what is due).
# Pure logic: it reads compiled zones from /usr/share/zoneinfo (tzdata) and
# nothing else.
LIB_SRCS       += scheduler/sched.c scheduler/cron.c scheduler/tz.c
PUBLIC_HEADERS += scheduler/scheduler.h
