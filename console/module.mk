# console: the web console's static files (console/web/), compiled into
# tutti-integrations.so by console/embed.c and served by server/console.c
# at /console/ on the port of `tutti serve`. No build step for the page
# itself: plain HTML, CSS and JavaScript modules, no CDN.
CONSOLE_WEB   := $(sort $(shell find console/web -type f -not -name '.*' 2>/dev/null))
CONSOLE_GEN   := $(BUILD)/gen/console_files.c
CONSOLE_EMBED := $(BUILD)/tools/embed
INTEG_SRCS    += $(CONSOLE_GEN)
PUBLIC_HEADERS += console/console_files.h

$(CONSOLE_EMBED): console/embed.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=c11 -O1 -Wall -Wextra -Werror -o $@ $<

# The list of files is a prerequisite too: a file removed from console/web
# regenerates the table (the stamp changes only when the list does).
$(BUILD)/gen/console_files.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(CONSOLE_WEB)' | cmp -s - $@ || echo '$(CONSOLE_WEB)' >$@

$(CONSOLE_GEN): $(CONSOLE_WEB) $(CONSOLE_EMBED) $(BUILD)/gen/console_files.list
	@$(if $(Q),echo "  EMBED   $@")
	$(Q)$(CONSOLE_EMBED) $@.tmp console/web $(CONSOLE_WEB) && mv $@.tmp $@

.PHONY: FORCE
FORCE:
