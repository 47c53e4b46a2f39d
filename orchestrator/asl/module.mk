# asl: the Amazon States Language — parser, validator, JSONPath and the
# intrinsic functions. The engine uses asl.h, jsonpath.h and intrinsics.h.
LIB_SRCS       += $(wildcard orchestrator/asl/*.c)
PUBLIC_HEADERS += orchestrator/asl/asl.h orchestrator/asl/asl_states.def \
		  orchestrator/asl/jsonpath.h orchestrator/asl/intrinsics.h
