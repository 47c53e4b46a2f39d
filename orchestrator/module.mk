LIB_SRCS += orchestrator/jsonpath.c orchestrator/jsonpath_eval.c
LIB_SRCS += orchestrator/intrinsics.c orchestrator/intrinsics_fns.c orchestrator/intrinsics_text.c
UNIT_TESTS += tests/orchestrator/test_jsonpath.c tests/orchestrator/test_intrinsics.c
LIB_SRCS += orchestrator/asl.c orchestrator/asl_parse.c orchestrator/asl_template.c orchestrator/asl_choice.c orchestrator/asl_validate.c
UNIT_TESTS += tests/orchestrator/test_asl_validate.c
E2E_TESTS += tests/e2e/validate.sh
