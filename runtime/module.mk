LIB_SRCS += runtime/fnconf.c
