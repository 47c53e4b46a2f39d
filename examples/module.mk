# The seed example: examples/daily-todos. Its functions link libraries that
# come from layers (no rpath: the sandbox finds them in /opt/lib).
EXAMPLE_SOS := $(BUILD)/examples/fetch_todos.so $(BUILD)/examples/store_todos.so
ALL_TARGETS += $(EXAMPLE_SOS)

$(BUILD)/examples/fetch_todos.so: examples/daily-todos/fetch_todos.c include/tutti.h $(LAYER_curl) $(LAYER_jansson)
$(BUILD)/examples/fetch_todos.so: LAYER_LINK = -I$(BUILD)/layers/curl/include -I$(BUILD)/layers/jansson/include \
	-L$(BUILD)/layers/curl/lib -lcurl -L$(BUILD)/layers/jansson/lib -ljansson
$(BUILD)/examples/store_todos.so: examples/daily-todos/store_todos.c include/tutti.h $(LAYER_s3) $(LAYER_jansson)
$(BUILD)/examples/store_todos.so: LAYER_LINK = -I$(BUILD)/layers/s3/include -I$(BUILD)/layers/jansson/include \
	-L$(BUILD)/layers/s3/lib -ltutti_s3 -L$(BUILD)/layers/jansson/lib -ljansson

$(EXAMPLE_SOS):
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUNC    $@")
	$(Q)$(CC) $(FUNC_CFLAGS) -o $@ $< $(LAYER_LINK)
