#include "integ_loader.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl.h"
#include "http_task.h"   /* HTTP_TASK_RESOURCE: macros only, nothing linked */
#include "s3_task.h"     /* S3_TASK_PREFIX */

#define UNAVAILABLE "the HTTP/S3 integrations are not available: "

/* The object's path: $TUTTI_INTEGRATIONS, else next to the executable, in
 * the build tree's layout or the installed one. 0, or -1 with e set. */
static int find_object(char *path, size_t n, struct err *e)
{
	static const char *const rel[] = {
		"/../lib/" INTEG_SO_NAME,
		"/../lib/tutti/" INTEG_SO_NAME,
	};
	const char *env = getenv(INTEG_ENV);
	char exe[PATH_MAX];
	ssize_t len;
	char *slash;

	if (env && *env) {
		if ((size_t)snprintf(path, n, "%s", env) >= n)
			return err_set(e, ERR_STATES_RUNTIME, UNAVAILABLE "$" INTEG_ENV " is too long");
		return 0;
	}
	len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len < 0)
		return err_set(e, ERR_STATES_RUNTIME, UNAVAILABLE "readlink /proc/self/exe: %s",
			       strerror(errno));
	exe[len] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return err_set(e, ERR_STATES_RUNTIME, UNAVAILABLE "no directory in '%s'", exe);
	*slash = '\0';
	for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
		if ((size_t)snprintf(path, n, "%s%s", exe, rel[i]) < n && access(path, F_OK) == 0)
			return 0;
	}
	return err_set(e, ERR_STATES_RUNTIME, UNAVAILABLE "no %s in %s/../lib or %s/../lib/tutti (set $%s)",
		       INTEG_SO_NAME, exe, exe, INTEG_ENV);
}

/* Each call dlopens again: after the first, dlopen only finds the loaded
 * object and counts a reference, so the loader needs no state. The object
 * is never closed (the integrations' threads and libcurl's globals live as
 * long as the process). */
const struct integ_api *integ_load(struct err *e)
{
	const struct integ_api *api;
	char path[PATH_MAX];
	const char *why;
	void *h;

	if (find_object(path, sizeof path, e))
		return NULL;
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		why = dlerror();
		err_set(e, ERR_STATES_RUNTIME, UNAVAILABLE "%s", why ? why : path);
		return NULL;
	}
	api = dlsym(h, INTEG_SYMBOL);
	if (!api) {
		why = dlerror();
		err_set(e, ERR_STATES_RUNTIME, UNAVAILABLE "%s", why ? why : INTEG_SYMBOL " missing");
		return NULL;
	}
	if (api->version != INTEG_API_VERSION || api->size != sizeof *api) {
		err_set(e, ERR_STATES_RUNTIME, UNAVAILABLE "%s is version %u (size %u), tutti wants %u (size %zu)",
			path, api->version, api->size, INTEG_API_VERSION, sizeof *api);
		return NULL;
	}
	return api;
}

static bool task_needs(const struct asl_task *t)
{
	return t->canonical && (!strcmp(t->canonical, HTTP_TASK_RESOURCE) ||
				!strncmp(t->canonical, S3_TASK_PREFIX, strlen(S3_TASK_PREFIX)));
}

bool integ_machine_needs(const struct asl_machine *m)
{
	for (size_t i = 0; i < m->n_states; i++) {
		const struct asl_state *st = &m->states[i];

		switch (st->type) {
		case ASL_TASK:
			if (task_needs(&st->task))
				return true;
			break;
		case ASL_PARALLEL:
			for (size_t b = 0; b < st->parallel.n_branches; b++)
				if (integ_machine_needs(st->parallel.branches[b]))
					return true;
			break;
		case ASL_MAP:
			if (st->map.item_reader ||   /* S3, read or written by s3_items.c */
			    (st->map.result_writer && st->map.result_writer->export_s3))
				return true;
			if (st->map.processor && integ_machine_needs(st->map.processor))
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}
