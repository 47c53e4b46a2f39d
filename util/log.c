#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The role is a process-wide tag ("cli", "zygote", "serve"); it is set once
 * per process at start-up, so a plain static is enough. */
static const char *log_role = "tutti";

void log_set_role(const char *role)
{
	log_role = role;
}

static enum log_level threshold(void)
{
	const char *v = getenv("TUTTI_LOG");

	if (!v)
		return LOG_WARN;
	if (!strcmp(v, "error"))
		return LOG_ERROR;
	if (!strcmp(v, "info"))
		return LOG_INFO;
	if (!strcmp(v, "debug"))
		return LOG_DEBUG;
	return LOG_WARN;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *const tag[] = { "error", "warn", "info", "debug" };
	char line[1024];
	int n;
	va_list ap;

	if (lvl > threshold())
		return;
	n = snprintf(line, sizeof line, "tutti[%d/%s] %s: ", (int)getpid(), log_role, tag[lvl]);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* nothing sensible to do */
	}
}
