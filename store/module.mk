# store: the durable state of `tutti serve` on SQLite (store.h): one file
# under $TUTTI_HOME, WAL, a writer thread committing in groups.
LIB_SRCS       += $(wildcard store/*.c)
PUBLIC_HEADERS += store/store.h
