# jsonata: the JSONata 2.x engine (jsonata.h; docs/jsonata.md). Every .c of
# the folder is in libtutti; the function library's tables are the .def files
# jn_builtins.c includes. PCRE2 (libpcre2-8) is in the top Makefile's PKGS.
LIB_SRCS       += $(wildcard jsonata/*.c)
PUBLIC_HEADERS += jsonata/jsonata.h
