# logs: the log store of registered functions under $TUTTI_HOME/logs
# (fnlog.h): START/END/REPORT records, rotation, reading and following.
LIB_SRCS       += logs/fnlog.c logs/fnlog_read.c
PUBLIC_HEADERS += logs/fnlog.h
