# tutti — one Makefile; each folder adds its sources in module.mk.
#   make            build/bin/tutti, functions, layers
#   make test       unit tests (Check) + end-to-end scripts
#   make asan       the same under AddressSanitizer + UBSan (in build/asan)
#   make bench      benchmark programs (name: value unit lines)
#   make install PREFIX=/usr/local DESTDIR=
# Quiet unless V=1.

# Folders' module.mk files may define rules; `make` alone still means all.
.DEFAULT_GOAL := all

# The modules, in the order their module.mk files are read: a later one may
# use what an earlier one defined (functions/ and examples/ use the layers'
# targets, layers/ the bucket module's sources).
MODULES := util jsonata runtime registry logs orchestrator/asl orchestrator/engine orchestrator/integrations graph scheduler store \
	   bucket server console cli layers functions examples tests bench fuzz

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= gcc
SAN     ?=
V       ?= 0

ifeq ($(V),1)
Q :=
else
Q := @
endif

# The tutti binary links only PKGS. libcurl, libs3 and libxml2 (INTEG_PKGS,
# INTEG_LIBS) cost ~30 ms of every process start: they are linked into
# $(BUILD)/lib/tutti-integrations.so only, which tutti dlopens when a
# command needs HTTP or S3 (orchestrator/integrations/integ_loader.h).
PKGS     := jansson libseccomp libcap libcrypto sqlite3 libpcre2-8
# libcrypto is not linked into tutti but loaded on first use
# (util/crypto_lazy.c): its cflags only.
LINK_PKGS := $(filter-out libcrypto,$(PKGS))
INTEG_PKGS :=
INTEG_LIBS :=
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
# Only public headers are on the include path: each module.mk lists its own
# in PUBLIC_HEADERS, and $(MODINC) holds a symlink to each. A module's
# private headers are reached from its own folder only (#include "x.h"
# looks beside the including file first); a unit test also sees the
# internals of the module it mirrors (tests/DIR/test_x.c: -IDIR).
MODINC   := $(BUILD)/modinc
CPPFLAGS += -D_GNU_SOURCE -Iinclude -I$(MODINC)
# snprintf truncation is how we cap strings on purpose, so that warning is off.
XCFLAGS  := -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -fPIC -MMD -MP
LDLIBS   := $(shell pkg-config --libs $(LINK_PKGS)) -ldl -lpthread -lm
CHECK_LIBS := $(shell pkg-config --libs check)
# Functions resolve the SDK (tt_*) against the process that loads them.
EXPORT_SDK := -Wl,--export-dynamic-symbol=tt_*

ifneq ($(SAN),)
XCFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRCS   :=
PUBLIC_HEADERS :=
CLI_SRCS   :=
INTEG_SRCS :=
INTEG_USERS :=
UNIT_TESTS :=
FUNCTIONS  :=
BENCHES    :=
E2E_TESTS  :=
ALL_TARGETS :=

include $(MODULES:%=%/module.mk)

LIB_OBJS   := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_OBJS   := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
LIBTUTTI   := $(BUILD)/lib/libtutti.a
INTEG_OBJS := $(INTEG_SRCS:%.c=$(BUILD)/obj/%.o)
LIBINTEG   := $(BUILD)/lib/libtutti-integ.a
INTEG_SO   := $(BUILD)/lib/tutti-integrations.so
INTEG_SYMS := $(BUILD)/lib/tutti-integrations.dynlist
INTEG_LDLIBS := $(shell pkg-config --libs $(INTEG_PKGS) jansson libcrypto) $(INTEG_LIBS) -lpthread
# Tests and benchmarks that link the integrations statically.
INTEG_USER_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(patsubst bench/%.c,$(BUILD)/bench/%,$(INTEG_USERS)))
TUTTI      := $(BUILD)/bin/tutti
UNIT_BINS  := $(UNIT_TESTS:tests/%.c=$(BUILD)/tests/%)
FUNC_SOS   := $(FUNCTIONS:functions/%.c=$(BUILD)/functions/%.so)
BENCH_BINS := $(BENCHES:bench/%.c=$(BUILD)/bench/%)

.PHONY: all test unit e2e asan bench install clean deps deps-test demo tour
all: $(TUTTI) $(INTEG_SO) $(FUNC_SOS) $(ALL_TARGETS)

# One symlink per public header; rebuilt when the list changes.
$(MODINC)/.stamp: $(MODULES:%=%/module.mk)
	@rm -rf $(MODINC) && mkdir -p $(MODINC)
	$(Q)for h in $(PUBLIC_HEADERS); do ln -s "$(CURDIR)/$$h" $(MODINC)/; done
	@touch $@

$(BUILD)/obj/%.o: %.c | $(MODINC)/.stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(XCFLAGS) $(CFLAGS) $(shell pkg-config --cflags $(PKGS) $(INTEG_PKGS)) -c $< -o $@

$(LIBTUTTI): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBINTEG): $(INTEG_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

# What tutti-integrations.so takes from the executable: each symbol its
# objects use that the core or the CLI defines. tutti exports exactly those
# (--export-dynamic would also hand every internal name to the function
# .so's a sandbox loads, to interpose theirs) and links them even when only
# the .so uses them (EXTERN in $(INTEG_SYMS).ld). Not the EVP_ stand-ins of
# util/crypto_lazy.c: the .so links libcrypto itself.
$(INTEG_SYMS): $(INTEG_OBJS) $(LIB_OBJS) $(CLI_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)nm $(INTEG_OBJS) | awk '$$1 == "U" { print $$2 }' | sort -u >$@.undef
	$(Q)nm -g --defined-only $(LIB_OBJS) $(CLI_OBJS) | awk 'NF == 3 { print $$3 }' | sort -u >$@.def
	$(Q)comm -12 $@.undef $@.def | { grep -v "^EVP_" || true; } >$@.syms; rm -f $@.undef $@.def
	$(Q){ echo '{'; sed 's/.*/  &;/' $@.syms; echo '};'; } >$@.tmp
	$(Q){ printf 'EXTERN('; tr '\n' ' ' <$@.syms; echo ')'; } >$@.ld
	$(Q)rm -f $@.syms && mv $@.tmp $@

$(TUTTI): $(CLI_OBJS) $(LIBTUTTI) $(INTEG_SYMS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) $(EXPORT_SDK) -Wl,--dynamic-list=$(INTEG_SYMS) -o $@ $(CLI_OBJS) $(INTEG_SYMS).ld \
		$(LIBTUTTI) $(LDLIBS)

# Undefined symbols are tutti's own: resolved against the executable.
$(INTEG_SO): $(INTEG_OBJS) orchestrator/integrations/integrations.ver
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -shared -Wl,-soname,$(notdir $@) -Wl,--version-script=orchestrator/integrations/integrations.ver \
		-o $@ $(INTEG_OBJS) $(INTEG_LDLIBS)

$(INTEG_USER_BINS): $(LIBINTEG)
$(INTEG_USER_BINS): INTEG_A = $(LIBINTEG)
$(INTEG_USER_BINS): INTEG_L = $(INTEG_LDLIBS)

# Every function tutti ships or tests (functions/, tests/hostile/,
# examples/) is compiled with these flags, the ones `tutti build` uses.
FUNC_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -fPIC -shared -Iinclude

# Example functions are built exactly as `tutti build` builds user code.
$(BUILD)/functions/%.so: functions/%.c include/tutti.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUNC    $@")
	$(Q)$(CC) $(FUNC_CFLAGS) -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIBTUTTI) | $(MODINC)/.stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(CPPFLAGS) -Itests -I$(patsubst tests/%/,%,$(dir $<)) $(XCFLAGS) $(CFLAGS) $(shell pkg-config --cflags $(PKGS) $(INTEG_PKGS) check) $(LDFLAGS) $(EXPORT_SDK) -o $@ $< $(INTEG_A) $(LIBTUTTI) $(CHECK_LIBS) $(LDLIBS) $(INTEG_L)

$(BUILD)/bench/%: bench/%.c $(LIBTUTTI) | $(MODINC)/.stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  BENCH   $@")
	$(Q)$(CC) $(CPPFLAGS) $(XCFLAGS) $(CFLAGS) $(shell pkg-config --cflags $(PKGS) $(INTEG_PKGS)) $(LDFLAGS) $(EXPORT_SDK) -o $@ $< $(INTEG_A) $(LIBTUTTI) $(LDLIBS) $(INTEG_L)

deps:
	$(Q)scripts/deps.sh

# The tests also need a browser (the console's): Chromium and playwright-core.
deps-test:
	$(Q)scripts/deps.sh --browser

unit: all $(UNIT_BINS)
	$(Q)BUILD=$(BUILD) scripts/run-unit.sh $(UNIT_BINS)

e2e: all
	$(Q)BUILD=$(BUILD) scripts/run-e2e.sh $(E2E_TESTS)

test: deps-test
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory e2e

asan: deps-test
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan SAN=1 OPT=-O1 unit e2e

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(BUILD) examples/daily-todos/demo.sh

tour: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(BUILD) scripts/demo.sh

bench: all $(BENCH_BINS)
	$(Q)BUILD=$(BUILD) scripts/run-bench.sh $(BENCH_BINS)

install: all install-zygote
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/tutti/functions
	install -m 755 $(TUTTI) $(DESTDIR)$(PREFIX)/bin/tutti
	install -d $(DESTDIR)$(PREFIX)/lib/tutti
	install -m 755 $(INTEG_SO) $(DESTDIR)$(PREFIX)/lib/tutti/tutti-integrations.so
	install -m 644 include/tutti.h $(DESTDIR)$(PREFIX)/include/tutti.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' include/tutti.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tutti.pc
	install -m 644 $(FUNC_SOS) $(LAYER_FUNCS) $(DESTDIR)$(PREFIX)/share/tutti/functions/
	rm -rf $(DESTDIR)$(PREFIX)/share/tutti/layers && install -d $(DESTDIR)$(PREFIX)/share/tutti/layers
	cp -R $(LAYER_DIRS) $(DESTDIR)$(PREFIX)/share/tutti/layers/

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' -not -path '*/layers/*' 2>/dev/null)
