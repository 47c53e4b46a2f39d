# server: what `tutti serve` runs. service.c (the actions, server/service.h)
# is in libtutti: the CLI calls its read actions in-process. http.c (the
# listener, libmicrohttpd) is in tutti-integrations.so with the CLI's HTTP
# client (cli/integ_client.c, libcurl): linking libmicrohttpd into tutti
# cost every command ~2 ms of start-up (cli.version_us 1.5 ms -> 3.4 ms,
# measured), so `tutti serve` loads it on demand (integ_loader.h).
SERVER_SRCS    := $(filter-out server/http.c server/service_absent.c,$(wildcard server/*.c))
INTEG_SRCS     += server/http.c
INTEG_PKGS     += libmicrohttpd
PUBLIC_HEADERS += server/service.h server/http.h

# The service in libtutti: server/service.c and its files (SERVICE=real),
# or a stand-in that answers every action with ServiceUnavailable
# (SERVICE=absent), so that the rest builds and links while service.c is
# a work in progress (it does not compile against main yet). Flip the
# default, and delete service_absent.c, once it does.
SERVICE ?= absent
ifeq ($(SERVICE),real)
LIB_SRCS       += $(SERVER_SRCS)
else
LIB_SRCS       += server/service_absent.c
endif

# tests/server/test_http.c links http.c with its own stand-in for svc_call.
INTEG_USERS    += tests/server/test_http.c
