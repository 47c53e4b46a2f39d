# Example functions: each functions/NAME.c is one $(BUILD)/functions/NAME.so,
# built by the Makefile's pattern rule exactly as `tutti build` builds user
# code (libc only; mini_json.h is header-only).
FUNCTIONS += functions/echo.c functions/add.c functions/fail.c functions/flaky.c \
	functions/sleep.c functions/noop.c functions/hello.c
$(FUNCTIONS:functions/%.c=$(BUILD)/functions/%.so): functions/mini_json.h

# Examples that link a library from a layer, with -L $(BUILD)/layers/NAME/lib
# -lNAME and no rpath: inside the sandbox the runtime finds their DT_NEEDED
# libraries in /opt/lib. Each waits for its layer (layers/module.mk).
LAYER_FUNCS := $(BUILD)/functions/json_example.so $(BUILD)/functions/curl_example.so \
	$(BUILD)/functions/greet_example.so
ALL_TARGETS += $(LAYER_FUNCS)

$(BUILD)/functions/json_example.so: functions/json_example.c include/tutti.h $(LAYER_jansson)
$(BUILD)/functions/json_example.so: LAYER_LINK = -I$(BUILD)/layers/jansson/include -L$(BUILD)/layers/jansson/lib -ljansson
$(BUILD)/functions/curl_example.so: functions/curl_example.c functions/mini_json.h include/tutti.h $(LAYER_curl)
$(BUILD)/functions/curl_example.so: LAYER_LINK = -I$(BUILD)/layers/curl/include -L$(BUILD)/layers/curl/lib -lcurl
$(BUILD)/functions/greet_example.so: functions/greet_example.c functions/mini_json.h include/tutti.h $(LAYER_greet)
$(BUILD)/functions/greet_example.so: LAYER_LINK = -I$(BUILD)/layers/greet/include -L$(BUILD)/layers/greet/lib -lgreet

$(LAYER_FUNCS):
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUNC    $@")
	$(Q)$(CC) $(FUNC_CFLAGS) -Ifunctions -o $@ $< $(LAYER_LINK)
