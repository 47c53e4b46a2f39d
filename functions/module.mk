# Example functions: each functions/NAME.c is one $(BUILD)/functions/NAME.so,
# built by the Makefile's pattern rule exactly as `tutti build` builds user
# code (libc only; mini_json.h is header-only).
FUNCTIONS += functions/echo.c functions/add.c functions/fail.c functions/flaky.c \
	functions/sleep.c functions/noop.c functions/hello.c
$(FUNCTIONS:functions/%.c=$(BUILD)/functions/%.so): functions/mini_json.h

# Examples that link a library from a layer. They are linked with
# -L $(BUILD)/layers/NAME/lib -lNAME and no rpath: inside the sandbox the
# runtime finds their DT_NEEDED libraries in /opt/lib. Each waits for its
# layer (see layers/module.mk; this file is read first, so paths are
# spelled out).
LAYER_FUNCS := $(BUILD)/functions/json_example.so $(BUILD)/functions/curl_example.so \
	$(BUILD)/functions/greet_example.so
ALL_TARGETS += $(LAYER_FUNCS)
LAYER_FUNC_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -fPIC -shared -Iruntime -Ifunctions

$(BUILD)/functions/json_example.so: functions/json_example.c runtime/tutti.h $(BUILD)/layers/jansson/lib/libjansson.so.4
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUNC    $@")
	$(Q)$(CC) $(LAYER_FUNC_CFLAGS) -I$(BUILD)/layers/jansson/include -o $@ $< \
		-L$(BUILD)/layers/jansson/lib -ljansson

$(BUILD)/functions/curl_example.so: functions/curl_example.c functions/mini_json.h runtime/tutti.h $(BUILD)/layers/curl/lib/libcurl.so.4
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUNC    $@")
	$(Q)$(CC) $(LAYER_FUNC_CFLAGS) -I$(BUILD)/layers/curl/include -o $@ $< \
		-L$(BUILD)/layers/curl/lib -lcurl

$(BUILD)/functions/greet_example.so: functions/greet_example.c functions/mini_json.h runtime/tutti.h $(BUILD)/layers/greet/lib/libgreet.so.1
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUNC    $@")
	$(Q)$(CC) $(LAYER_FUNC_CFLAGS) -I$(BUILD)/layers/greet/include -o $@ $< \
		-L$(BUILD)/layers/greet/lib -lgreet

# `tutti build` and `make install` end to end (tests/ has no module.mk).
E2E_TESTS += tests/e2e/build_install.sh
