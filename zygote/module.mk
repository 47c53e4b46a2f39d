# tutti-zygote: the program tutti fork+execs to make execution environments
# (runtime/zygote.h). Linked against libc only — no jansson, libseccomp,
# libcap or libcrypto — so a function's link namespace holds libc, the SDK
# (tt_*, exported from this binary) and its layers, nothing of tutti's.
ZYGOTE      := $(BUILD)/lib/tutti/tutti-zygote
ZYGOTE_SRCS := zygote/main.c runtime/sandbox.c runtime/worker.c runtime/sdk.c runtime/proto.c \
	runtime/elfdeps.c runtime/cgroup.c util/log.c
ZYGOTE_OBJS := $(ZYGOTE_SRCS:%.c=$(BUILD)/obj/%.o)
ALL_TARGETS += $(ZYGOTE)
E2E_TESTS   += $(wildcard tests/e2e/zygote_*.sh)

# -Wl,--as-needed and no LDLIBS: only libc. The check below fails the build
# if anything else slips into the dynamic section.
$(ZYGOTE): $(ZYGOTE_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -Wl,--as-needed $(EXPORT_SDK) -o $@ $(ZYGOTE_OBJS)
	$(Q)if readelf -d $@ | grep NEEDED | grep -Ev 'libc\.so|ld-linux|libasan|libubsan|libstdc|libgcc|libm\.so' ; then \
		echo "tutti-zygote must link libc only" >&2; rm -f $@; exit 1; fi

install-zygote: $(ZYGOTE)
	install -d $(DESTDIR)$(PREFIX)/lib/tutti
	install -m 755 $(ZYGOTE) $(DESTDIR)$(PREFIX)/lib/tutti/tutti-zygote
