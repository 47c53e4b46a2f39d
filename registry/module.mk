# registry: functions, versions, layers and content-addressed code under
# $TUTTI_HOME (registry.h).
LIB_SRCS       += $(wildcard registry/*.c)
PUBLIC_HEADERS += registry/registry.h
