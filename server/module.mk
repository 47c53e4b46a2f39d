# server: what `tutti serve` runs. service.c (the actions, server/service.h)
# is in libtutti: the CLI calls its read actions in-process. http.c (the
# listener, libmicrohttpd) is in tutti-integrations.so with the CLI's HTTP
# client (cli/integ_client.c, libcurl): linking libmicrohttpd into tutti
# cost every command ~2 ms of start-up (cli.version_us 1.5 ms -> 3.4 ms,
# measured), so `tutti serve` loads it on demand (integ_loader.h).
SERVER_SRCS    := $(filter-out server/http.c server/svc_lambda%.c,$(wildcard server/*.c))
INTEG_SRCS     += server/http.c
INTEG_PKGS     += libmicrohttpd
PUBLIC_HEADERS += server/service.h server/http.h
# The Lambda API (restJson1) and its zips (libzip): in the .so, as http.c.
INTEG_SRCS     += $(wildcard server/svc_lambda*.c)
INTEG_PKGS     += libzip
PUBLIC_HEADERS += server/svc_lambda.h

LIB_SRCS       += $(SERVER_SRCS)

# tests/server/test_http.c links http.c with its own stand-in for svc_call.
INTEG_USERS    += tests/server/test_http.c tests/server/test_lambda_zip.c
