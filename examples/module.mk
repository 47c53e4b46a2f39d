# The seed example: examples/daily-todos. Its functions link libraries that
# come from layers (no rpath: the sandbox finds them in /opt/lib). This file
# is read before layers/module.mk, so the layer files are spelled out.
EXAMPLE_SOS := $(BUILD)/examples/fetch_todos.so $(BUILD)/examples/store_todos.so
ALL_TARGETS += $(EXAMPLE_SOS)
EXAMPLE_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -fPIC -shared -Iruntime

$(BUILD)/examples/fetch_todos.so: examples/daily-todos/fetch_todos.c runtime/tutti.h $(BUILD)/layers/curl/lib/libcurl.so.4 $(BUILD)/layers/jansson/lib/libjansson.so.4
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUNC    $@")
	$(Q)$(CC) $(EXAMPLE_CFLAGS) -I$(BUILD)/layers/curl/include -I$(BUILD)/layers/jansson/include -o $@ $< \
		-L$(BUILD)/layers/curl/lib -lcurl -L$(BUILD)/layers/jansson/lib -ljansson

$(BUILD)/examples/store_todos.so: examples/daily-todos/store_todos.c runtime/tutti.h $(BUILD)/layers/s3/lib/libtutti_s3.so $(BUILD)/layers/jansson/lib/libjansson.so.4
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUNC    $@")
	$(Q)$(CC) $(EXAMPLE_CFLAGS) -I$(BUILD)/layers/s3/include -I$(BUILD)/layers/jansson/include -o $@ $< \
		-L$(BUILD)/layers/s3/lib -ltutti_s3 -L$(BUILD)/layers/jansson/lib -ljansson

E2E_TESTS += tests/e2e/daily_todos.sh
