# libFuzzer targets (clang, -fsanitize=fuzzer); not part of `make test`.
#   make fuzz        builds $(BUILD)/fuzz/fuzz_jsonpath, fuzz_intrinsics, fuzz_asl, fuzz_sched
#   $(BUILD)/fuzz/fuzz_jsonpath -max_total_time=180 CORPUS_DIR
#   $(BUILD)/fuzz/fuzz_asl -dict=fuzz/fuzz_asl.dict CORPUS tests/data/asl/valid
# fuzz_jsonpath and fuzz_intrinsics read a path/expression on the first line
# and a JSON document after it (a default one when missing or invalid);
# fuzz_asl reads a whole definition. Each links the ASL module's sources.
# fuzz_sched reads a schedule expression, a time zone on the second line and
# a TZif file after it (it sees scheduler/'s private header: -Ischeduler).
FUZZ_CC    ?= clang
FUZZ_FLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
	      -fno-sanitize-recover=undefined
FUZZ_SRCS  := $(wildcard orchestrator/asl/*.c) $(wildcard scheduler/*.c) util/err.c util/utf8.c util/buf.c util/strdist.c \
	      util/fsutil.c
FUZZ_BINS  := $(BUILD)/fuzz/fuzz_jsonpath $(BUILD)/fuzz/fuzz_intrinsics $(BUILD)/fuzz/fuzz_asl $(BUILD)/fuzz/fuzz_sched

.PHONY: fuzz fuzz-asl
fuzz: $(FUZZ_BINS)
fuzz-asl: $(BUILD)/fuzz/fuzz_asl

$(BUILD)/fuzz/%: fuzz/%.c $(FUZZ_SRCS) | $(MODINC)/.stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(CPPFLAGS) -Ischeduler -std=c11 -Wall -Wextra -Werror $(FUZZ_FLAGS) \
		$(shell pkg-config --cflags jansson openssl) -o $@ $< $(FUZZ_SRCS) \
		$(shell pkg-config --libs jansson openssl)

# fuzz_http: the HTTP layer of `tutti serve` (router, caps, AWS JSON, the
# Scheduler's REST routes, SigV4) with a stand-in svc_call (fuzz/fuzz_http.c).
FUZZ_HTTP_SRCS := server/http.c server/http_sched.c server/sigv4.c util/err.c util/utf8.c util/buf.c
FUZZ_BINS      += $(BUILD)/fuzz/fuzz_http
fuzz: $(BUILD)/fuzz/fuzz_http
$(BUILD)/fuzz/fuzz_http: fuzz/fuzz_http.c $(FUZZ_HTTP_SRCS) | $(MODINC)/.stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(CPPFLAGS) -std=c11 -Wall -Wextra -Werror $(FUZZ_FLAGS) \
		$(shell pkg-config --cflags jansson openssl libmicrohttpd libcurl inih) -o $@ $< $(FUZZ_HTTP_SRCS) \
		$(shell pkg-config --libs jansson openssl libmicrohttpd libcurl inih) -lpthread

# fuzz_jsonata: the JSONata engine (jsonata/), compile and evaluate an
# expression (first line) over a document (the rest), under tight limits:
#   $(BUILD)/fuzz/fuzz_jsonata -dict=fuzz/fuzz_jsonata.dict -max_total_time=600 CORPUS
FUZZ_JSONATA_SRCS := $(wildcard jsonata/*.c)
FUZZ_BINS         += $(BUILD)/fuzz/fuzz_jsonata
fuzz: $(BUILD)/fuzz/fuzz_jsonata
$(BUILD)/fuzz/fuzz_jsonata: fuzz/fuzz_jsonata.c $(FUZZ_JSONATA_SRCS) $(wildcard jsonata/*.h jsonata/*.def) | $(MODINC)/.stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(CPPFLAGS) -D_GNU_SOURCE -std=c11 -Wall -Wextra -Werror $(FUZZ_FLAGS) \
		$(shell pkg-config --cflags jansson libpcre2-8) -o $@ $< $(FUZZ_JSONATA_SRCS) \
		$(shell pkg-config --libs jansson libpcre2-8) -lm -lpthread
