# Hostile functions for tests/e2e/runtime_hostile.sh: each
# tests/hostile/NAME.c is $(BUILD)/hostile/NAME.so, compiled exactly as a
# user's function (tests/hostile/hostile.h holds their shared helpers).
HOSTILE_SOS := $(patsubst tests/hostile/%.c,$(BUILD)/hostile/%.so,$(wildcard tests/hostile/*.c))
ALL_TARGETS += $(HOSTILE_SOS)

$(BUILD)/hostile/%.so: tests/hostile/%.c tests/hostile/hostile.h runtime/tutti.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUNC    $@")
	$(Q)$(CC) -std=c11 -Wall -Wextra -Werror -O2 -fPIC -shared -Iruntime -o $@ $<
