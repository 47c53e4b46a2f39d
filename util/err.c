#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

static const char *const names[ERR__COUNT] = {
#define X(id, name) [ERR_##id] = name,
#include "errors.def"
#undef X
};

const char *err_name(enum err_code code)
{
	if ((unsigned)code >= ERR__COUNT)
		return "Runtime.InternalError";
	return names[code];
}

static void vset(struct err *e, const char *type, const char *fmt, va_list ap)
{
	snprintf(e->type, sizeof e->type, "%s", type);
	int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	size_t len = strlen(e->msg);

	/* Messages quote outside text cut at byte counts; a cause must stay
	 * UTF-8 or it cannot become JSON (and is lost). */
	if ((n >= 0 && (size_t)n >= sizeof e->msg) || !utf8_valid(e->msg, len)) {
		char tmp[ERR_MSG_MAX];

		len = (size_t)utf8_cut(e->msg, len);
		utf8_clean(e->msg, len, tmp, sizeof tmp);
		memcpy(e->msg, tmp, strlen(tmp) + 1);
	}
}

int err_set(struct err *e, enum err_code code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vset(e, err_name(code), fmt, ap);
	va_end(ap);
	return -1;
}

int err_setn(struct err *e, const char *type, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vset(e, type, fmt, ap);
	va_end(ap);
	return -1;
}

void err_clear(struct err *e)
{
	if (e) {
		e->type[0] = '\0';
		e->msg[0] = '\0';
	}
}

bool err_is(const struct err *e, enum err_code code)
{
	return e && strcmp(e->type, err_name(code)) == 0;
}

bool err_isset(const struct err *e)
{
	return e && e->type[0] != '\0';
}
