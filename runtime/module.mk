# runtime: the zygote, the sandbox steps, execution environments and warm
# pools behind the invoke API (rt.h). fnconf.h is the function
# configuration the registry and the engine hand to it.
LIB_SRCS       += $(filter-out runtime/zygote_main.c,$(wildcard runtime/*.c))
PUBLIC_HEADERS += runtime/rt.h runtime/fnconf.h

# tutti-zygote: the program tutti fork+execs to make execution environments
# (zygote.h). Linked against glibc's core only — libc, and libm, which
# layers never ship (layers/build-layer.sh) and functions built with -lm
# need — no jansson, libseccomp, libcap or libcrypto: a function's link
# namespace holds glibc, the SDK (tt_*, exported from this binary) and its
# layers, nothing of tutti's. Installed as $(PREFIX)/lib/tutti/tutti-zygote,
# found next to tutti.
ZYGOTE      := $(BUILD)/lib/tutti/tutti-zygote
ZYGOTE_SRCS := runtime/zygote_main.c runtime/sandbox.c runtime/worker.c runtime/sdk.c runtime/proto.c \
	runtime/elfdeps.c runtime/cgroup.c util/log.c
ZYGOTE_OBJS := $(ZYGOTE_SRCS:%.c=$(BUILD)/obj/%.o)
ALL_TARGETS += $(ZYGOTE)

# No LDLIBS: glibc only. The check fails the build if anything else slips
# into the dynamic section (sanitizer builds add their runtimes).
$(ZYGOTE): $(ZYGOTE_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) $(EXPORT_SDK) -o $@ $(ZYGOTE_OBJS) -Wl,--no-as-needed -lm
	$(Q)if readelf -d $@ | grep NEEDED | grep -Ev 'libc\.so|ld-linux|libasan|libubsan|libstdc|libgcc|libm\.so' ; then \
		echo "tutti-zygote must link libc only" >&2; rm -f $@; exit 1; fi

install-zygote: $(ZYGOTE)
	install -d $(DESTDIR)$(PREFIX)/lib/tutti
	install -m 755 $(ZYGOTE) $(DESTDIR)$(PREFIX)/lib/tutti/tutti-zygote
