# Every .c in runtime/ is part of libtutti.
LIB_SRCS += $(wildcard runtime/*.c)
UNIT_TESTS += $(wildcard tests/runtime/test_*.c)
E2E_TESTS += $(wildcard tests/e2e/runtime_*.sh)
