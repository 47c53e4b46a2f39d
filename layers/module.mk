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

# s3: libtutti_s3.so + tutti_s3.h, S3 objects from functions (layers/s3/).
LAYER_s3      := $(BUILD)/layers/s3/lib/libtutti_s3.so
LAYERS        += s3
LAYER_DIRS    += $(BUILD)/layers/s3
ALL_TARGETS   += $(LAYER_s3)
$(LAYER_s3): layers/s3/build.sh layers/s3/tutti_s3.c layers/s3/tutti_s3.h orchestrator/bucket.h \
	     orchestrator/bucket.c orchestrator/bucket_file.c orchestrator/bucket_s3.c orchestrator/bucket_sigv4.c
	@$(if $(Q),echo "  LAYER   $(BUILD)/layers/s3")
	$(Q)CC="$(CC)" layers/s3/build.sh $(BUILD)/layers/s3
