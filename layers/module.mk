# Layers that ship with tutti, each built into $(BUILD)/layers/NAME/ (the
# directory shown at /opt in the sandbox) by layers/build-layer.sh.
#   jansson, curl  packaged from the system's libraries
#   greet          test-only: libgreet.so.1 exists only in this layer
# Publish one with: tutti layer publish NAME $(BUILD)/layers/NAME
LAYERS       := jansson curl greet
LAYER_DIRS   := $(LAYERS:%=$(BUILD)/layers/%)
# One file per layer stands for the whole directory in make's eyes.
LAYER_jansson := $(BUILD)/layers/jansson/lib/libjansson.so.4
LAYER_curl    := $(BUILD)/layers/curl/lib/libcurl.so.4
LAYER_greet   := $(BUILD)/layers/greet/lib/libgreet.so.1
ALL_TARGETS  += $(LAYER_jansson) $(LAYER_curl) $(LAYER_greet)

$(LAYER_jansson): layers/build-layer.sh
	@$(if $(Q),echo "  LAYER   $(BUILD)/layers/jansson")
	$(Q)CC="$(CC)" layers/build-layer.sh jansson $(BUILD)/layers/jansson

$(LAYER_curl): layers/build-layer.sh
	@$(if $(Q),echo "  LAYER   $(BUILD)/layers/curl")
	$(Q)CC="$(CC)" layers/build-layer.sh curl $(BUILD)/layers/curl

$(LAYER_greet): layers/build-layer.sh layers/greet/greet.c layers/greet/greet.h
	@$(if $(Q),echo "  LAYER   $(BUILD)/layers/greet")
	$(Q)CC="$(CC)" layers/build-layer.sh greet $(BUILD)/layers/greet
