# Every .c in runtime/ is part of libtutti.
LIB_SRCS += $(wildcard runtime/*.c)
UNIT_TESTS += $(wildcard tests/runtime/test_*.c)
E2E_TESTS += $(wildcard tests/e2e/runtime_*.sh)
# The function and layer registry's CLI end to end.
E2E_TESTS += tests/e2e/function_cli.sh tests/e2e/layer_cli.sh
