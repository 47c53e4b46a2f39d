# Layers that ship with tutti, each built into $(BUILD)/layers/NAME/ (the
# directory shown at /opt in the sandbox).
#   jansson, curl  packaged from the system's libraries (build-layer.sh)
#   greet          test-only: libgreet.so.1 exists only in this layer
#   s3             libtutti_s3.so: the bucket module's objects behind the
#                  tutti_s3_* API (layers/s3/)
# Publish one with: tutti layer publish NAME $(BUILD)/layers/NAME
LAYERS        := jansson curl greet s3
LAYER_DIRS    := $(LAYERS:%=$(BUILD)/layers/%)
# One file per layer stands for the whole directory in make's eyes.
LAYER_jansson := $(BUILD)/layers/jansson/lib/libjansson.so.4
LAYER_curl    := $(BUILD)/layers/curl/lib/libcurl.so.4
LAYER_greet   := $(BUILD)/layers/greet/lib/libgreet.so.1
LAYER_s3      := $(BUILD)/layers/s3/lib/libtutti_s3.so
ALL_TARGETS   += $(LAYER_jansson) $(LAYER_curl) $(LAYER_greet) $(LAYER_s3)

$(LAYER_jansson): layers/build-layer.sh
	@$(if $(Q),echo "  LAYER   $(BUILD)/layers/jansson")
	$(Q)CC="$(CC)" layers/build-layer.sh jansson $(BUILD)/layers/jansson

$(LAYER_curl): layers/build-layer.sh
	@$(if $(Q),echo "  LAYER   $(BUILD)/layers/curl")
	$(Q)CC="$(CC)" layers/build-layer.sh curl $(BUILD)/layers/curl

$(LAYER_greet): layers/build-layer.sh layers/greet/greet.c layers/greet/greet.h
	@$(if $(Q),echo "  LAYER   $(BUILD)/layers/greet")
	$(Q)CC="$(CC)" layers/build-layer.sh greet $(BUILD)/layers/greet

# The s3 layer links the bucket module's objects as make built them (a
# layer runs in the sandbox without the sanitizers' runtimes, so a
# sanitizer build compiles them once more, plain, under obj-plain/).
LAYER_S3_SRCS := layers/s3/tutti_s3.c $(BUCKET_SRCS) util/err.c util/utf8.c util/buf.c util/curlx.c
ifeq ($(SAN),)
LAYER_S3_OBJS := $(LAYER_S3_SRCS:%.c=$(BUILD)/obj/%.o)
else
LAYER_S3_OBJS := $(LAYER_S3_SRCS:%.c=$(BUILD)/obj-plain/%.o)
$(BUILD)/obj-plain/%.o: %.c | $(MODINC)/.stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(XCFLAGS:-fsanitize%=) -O2 $(shell pkg-config --cflags $(INTEG_PKGS)) -c $< -o $@
endif
$(LAYER_s3): layers/s3/build.sh layers/s3/tutti_s3.h $(LAYER_S3_OBJS)
	@$(if $(Q),echo "  LAYER   $(BUILD)/layers/s3")
	$(Q)CC="$(CC)" layers/s3/build.sh $(BUILD)/layers/s3 $(LAYER_S3_OBJS)
