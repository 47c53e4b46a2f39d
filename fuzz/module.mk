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
