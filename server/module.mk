# server: what `tutti serve` runs. service.c (the actions, server/service.h)
# is in libtutti: the CLI calls its read actions in-process. http.c (the
# listener, libmicrohttpd) is in tutti-integrations.so with the CLI's HTTP
# client (cli/integ_client.c, libcurl): linking libmicrohttpd into tutti
# cost every command ~2 ms of start-up (cli.version_us 1.5 ms -> 3.4 ms,
# measured), so `tutti serve` loads it on demand (integ_loader.h).
# sigv4.c (libinih, libcurl's URL encoding), http_sched.c (the Scheduler's
# REST routes) and the S3 REST API (s3_api.c, s3_proto.c: libmicrohttpd,
# libxml2, the bucket store) are the listener's too.
SERVER_HTTP    := server/http.c server/sigv4.c server/http_sched.c $(wildcard server/s3_*.c) server/console.c
SERVER_SRCS    := $(filter-out $(SERVER_HTTP),$(wildcard server/*.c))
INTEG_SRCS     += $(SERVER_HTTP)
INTEG_PKGS     += libmicrohttpd inih
PUBLIC_HEADERS += server/service.h server/http.h server/sigv4.h server/s3_api.h server/console.h
# The Lambda API (restJson1) and its zips (libzip): in the .so, as http.c.
SERVER_SRCS    := $(filter-out server/svc_lambda%.c,$(SERVER_SRCS))
INTEG_SRCS     += $(wildcard server/svc_lambda*.c)
INTEG_PKGS     += libzip
PUBLIC_HEADERS += server/svc_lambda.h

LIB_SRCS       += $(SERVER_SRCS)

# tests/server/test_http.c links http.c with its own stand-in for svc_call.
INTEG_USERS    += tests/server/test_http.c tests/server/test_sigv4.c tests/server/test_s3_proto.c tests/server/test_lambda_zip.c
