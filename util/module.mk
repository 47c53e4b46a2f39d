# util: small shared helpers (errors, growable buffers, files, logging).
LIB_SRCS       += util/err.c util/buf.c util/fsutil.c util/log.c util/termsafe.c
PUBLIC_HEADERS += util/err.h util/errors.def util/buf.h util/fsutil.h util/log.h util/termsafe.h
