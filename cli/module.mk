# cli: the tutti command; it uses the other modules' public headers only.
# cli/integ_bucket.c, the body of `tutti bucket`, needs libs3: it goes into
# tutti-integrations.so, not into the tutti binary (cli/cmd_bucket.c loads it).
# cli/integ_client.c, the HTTP client of `tutti serve`, needs libcurl: the same.
CLI_SRCS   += $(filter-out cli/integ_bucket.c cli/integ_client.c,$(wildcard cli/*.c))
INTEG_SRCS += cli/integ_bucket.c cli/integ_client.c

# The grammar's unit test (tests/cli/test_cli_opts.c) links the parser and
# tutti's tables, which are not in libtutti: objects, so their place on the
# link line is free.
CLI_OPTS_TEST_OBJS := $(BUILD)/obj/cli/opts.o $(BUILD)/obj/cli/commands.o
$(BUILD)/tests/cli/test_cli_opts: $(CLI_OPTS_TEST_OBJS)
$(BUILD)/tests/cli/test_cli_opts: LDFLAGS += $(CLI_OPTS_TEST_OBJS)
