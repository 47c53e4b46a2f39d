# engine: the interpreter of a compiled definition, executions and their
# history (engine.h, history.h).
LIB_SRCS       += $(wildcard orchestrator/engine/*.c)
PUBLIC_HEADERS += orchestrator/engine/engine.h orchestrator/engine/history.h \
		  orchestrator/engine/engine_mock.h \
		  orchestrator/engine/history_events.def
