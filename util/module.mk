LIB_SRCS += util/err.c util/buf.c util/fsutil.c util/log.c
UNIT_TESTS += tests/util/test_buf.c
