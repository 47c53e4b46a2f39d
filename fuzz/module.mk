# libFuzzer targets for the JSONPath and intrinsics parsers/evaluators.
#   make fuzz                 builds $(BUILD)/fuzz/fuzz_jsonpath, fuzz_intrinsics
#   $(BUILD)/fuzz/fuzz_jsonpath -max_total_time=180 CORPUS_DIR
# Not part of `make test`: needs clang with -fsanitize=fuzzer.
# Input format of both targets: first line the path/expression, the rest a
# JSON document (a default one when missing or invalid).
FUZZ_CC    ?= clang
FUZZ_FLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
	      -fno-sanitize-recover=undefined
FUZZ_CORE  := $(wildcard orchestrator/jsonpath*.c orchestrator/intrinsics*.c) util/err.c util/buf.c
FUZZ_BINS  := $(BUILD)/fuzz/fuzz_jsonpath $(BUILD)/fuzz/fuzz_intrinsics

# Rules defined here must not become make's default goal.
fuzz_saved_goal := $(.DEFAULT_GOAL)

.PHONY: fuzz
fuzz: $(FUZZ_BINS)

$(BUILD)/fuzz/%: fuzz/%.c $(FUZZ_CORE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(CPPFLAGS) -std=c11 -Wall -Wextra -Werror $(FUZZ_FLAGS) \
		$(shell pkg-config --cflags jansson openssl) -o $@ $^ \
		$(shell pkg-config --libs jansson openssl)

.DEFAULT_GOAL := $(fuzz_saved_goal)

# ASL definitions (orchestrator/asl*.c): the input is a whole definition.
#   $(BUILD)/fuzz/fuzz_asl -dict=fuzz/fuzz_asl.dict CORPUS tests/data/asl/valid
# Self-contained (explicit rule, ?= defaults) so that it does not depend on
# the order of the blocks above.
FUZZ_CC       ?= clang
fuzz_asl_goal := $(.DEFAULT_GOAL)
FUZZ_ASL_SRCS := fuzz/fuzz_asl.c $(wildcard orchestrator/asl*.c orchestrator/jsonpath*.c \
		 orchestrator/intrinsics*.c) util/err.c util/buf.c

.PHONY: fuzz fuzz-asl
fuzz fuzz-asl: $(BUILD)/fuzz/fuzz_asl

$(BUILD)/fuzz/fuzz_asl: $(FUZZ_ASL_SRCS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(CPPFLAGS) -std=c11 -Wall -Wextra -Werror -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$(shell pkg-config --cflags jansson openssl) -o $@ $(FUZZ_ASL_SRCS) \
		$(shell pkg-config --libs jansson openssl)

.DEFAULT_GOAL := $(fuzz_asl_goal)
