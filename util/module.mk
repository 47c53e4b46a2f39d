# util: small shared helpers (errors, growable buffers, files, logging,
# terminal-safe text, word distance for suggestions, a faster allocator for
# jansson values, libcrypto on first use)
# in libtutti; curlx.c, the one libcurl set-up, goes where libcurl is
# linked: tutti-integrations.so and the s3 layer.
LIB_SRCS       += util/err.c util/buf.c util/fsutil.c util/log.c util/termsafe.c util/crypto_lazy.c util/strdist.c util/utf8.c util/utf8_json.c \
		  util/jsonmem.c
INTEG_SRCS     += util/curlx.c
PUBLIC_HEADERS += util/err.h util/errors.def util/buf.h util/fsutil.h util/log.h util/curlx.h util/termsafe.h util/strdist.h util/utf8.h \
		  util/jsonmem.h
