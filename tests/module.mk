# Every test is registered here, in one place.
#   unit   tests/DIR/test_NAME.c: a Check program, mirrors the module in DIR
#          (it may include DIR's private headers); run by scripts/run-unit.sh
#   e2e    tests/e2e/NAME.sh: drives the real CLI; run by scripts/run-e2e.sh
#          with a fresh $TUTTI_HOME each (helpers in tests/e2e/lib.sh)
UNIT_TESTS += $(sort $(wildcard tests/*/test_*.c tests/*/*/test_*.c))
E2E_TESTS  += $(sort $(wildcard tests/e2e/*.sh))
E2E_TESTS  := $(filter-out tests/e2e/lib.sh,$(E2E_TESTS))

# Unit tests that link the integrations (libcurl, libs3) statically, and
# that talk to the local HTTP fixture.
INTEG_USERS += tests/orchestrator/integrations/test_http_task.c tests/bucket/test_bucket.c \
	       tests/orchestrator/integrations/test_s3_items.c
# graph_svg (libgvc) and libxml2, to read the SVG back
INTEG_USERS += tests/graph/test_graph.c
HTTP_FIXTURE := $(BUILD)/fixtures/http_fixture
ALL_TARGETS  += $(HTTP_FIXTURE)
$(HTTP_FIXTURE): tests/fixtures/http_fixture.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -D_GNU_SOURCE $(XCFLAGS) $(CFLAGS) $(shell pkg-config --cflags libmicrohttpd jansson openssl) $(LDFLAGS) -o $@ $< $(shell pkg-config --libs libmicrohttpd jansson openssl) -lpthread
$(BUILD)/tests/orchestrator/integrations/test_http_task $(BUILD)/tests/bucket/test_bucket: | $(HTTP_FIXTURE)

# Hostile functions for tests/e2e/runtime_hostile.sh: each
# tests/hostile/NAME.c is $(BUILD)/hostile/NAME.so, compiled exactly as a
# user's function (tests/hostile/hostile.h holds their shared helpers).
HOSTILE_SOS := $(patsubst tests/hostile/%.c,$(BUILD)/hostile/%.so,$(wildcard tests/hostile/*.c))
ALL_TARGETS += $(HOSTILE_SOS)

$(BUILD)/hostile/%.so: tests/hostile/%.c tests/hostile/hostile.h include/tutti.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUNC    $@")
	$(Q)$(CC) $(FUNC_CFLAGS) -o $@ $<
