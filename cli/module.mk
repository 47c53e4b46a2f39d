# cli: the tutti command; it uses the other modules' public headers only.
# cli/integ_bucket.c, the body of `tutti bucket`, needs libs3: it goes into
# tutti-integrations.so, not into the tutti binary (cli/cmd_bucket.c loads it).
CLI_SRCS   += $(filter-out cli/integ_bucket.c,$(wildcard cli/*.c))
INTEG_SRCS += cli/integ_bucket.c
