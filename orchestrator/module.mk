LIB_SRCS += orchestrator/jsonpath.c orchestrator/jsonpath_eval.c
LIB_SRCS += orchestrator/intrinsics.c orchestrator/intrinsics_fns.c orchestrator/intrinsics_text.c
UNIT_TESTS += tests/orchestrator/test_jsonpath.c tests/orchestrator/test_intrinsics.c
LIB_SRCS += orchestrator/asl.c orchestrator/asl_parse.c orchestrator/asl_template.c orchestrator/asl_choice.c orchestrator/asl_validate.c
UNIT_TESTS += tests/orchestrator/test_asl_validate.c
E2E_TESTS += tests/e2e/validate.sh
LIB_SRCS += orchestrator/engine.c orchestrator/exec_run.c orchestrator/exec_io.c orchestrator/exec_choice.c \
	orchestrator/exec_fanout.c orchestrator/exec_task.c orchestrator/exec_lambda.c orchestrator/history.c
UNIT_TESTS += tests/orchestrator/test_interp.c tests/orchestrator/test_history.c
E2E_TESTS += tests/e2e/run_cli.sh tests/e2e/conformance.sh
# Integrations: HTTP Task, S3 tasks and the bucket stores behind them. They
# are not in libtutti: they form $(BUILD)/lib/tutti-integrations.so (libcurl,
# libs3, libxml2), which the core loads on demand (integ_loader.h), and
# libtutti-integ.a for the tests and benchmarks that link them statically.
LIB_SRCS   += orchestrator/integ_loader.c
INTEG_SRCS += orchestrator/bucket.c orchestrator/bucket_file.c orchestrator/bucket_s3.c orchestrator/bucket_sigv4.c
INTEG_SRCS += orchestrator/s3_task.c orchestrator/connection.c orchestrator/http_task.c orchestrator/http_request.c
INTEG_SRCS += orchestrator/integrations.c orchestrator/integ_entry.c
INTEG_PKGS += libcurl libxml-2.0
INTEG_LIBS += -ls3
INTEG_USERS += tests/orchestrator/test_http_task.c tests/orchestrator/test_bucket.c
# The local HTTP server the integration tests and benchmarks talk to.
HTTP_FIXTURE := $(BUILD)/fixtures/http_fixture
ALL_TARGETS  += $(HTTP_FIXTURE)
UNIT_TESTS   += tests/orchestrator/test_http_task.c tests/orchestrator/test_bucket.c
E2E_TESTS    += tests/e2e/s3_server.sh
$(HTTP_FIXTURE): tests/fixtures/http_fixture.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -D_GNU_SOURCE $(XCFLAGS) $(CFLAGS) $(shell pkg-config --cflags libmicrohttpd jansson openssl) $(LDFLAGS) -o $@ $< $(shell pkg-config --libs libmicrohttpd jansson openssl) -lpthread
$(BUILD)/tests/orchestrator/test_http_task $(BUILD)/tests/orchestrator/test_bucket: | $(HTTP_FIXTURE)
