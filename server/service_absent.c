/* service_absent — a stand-in for server/service.c until it is merged
 * (server/module.mk compiles it only while service.c does not exist):
 * every action is ServiceUnavailable. Delete with the merge. */
#include <stdlib.h>

#include "service.h"

void svc_options_init(struct svc_options *o)
{
	*o = (struct svc_options){ .fsync = true };
}

int svc_open(const struct svc_options *o, struct svc **out, struct err *e)
{
	(void)o;
	*out = NULL;
	return err_setn(e, "ServiceUnavailable", "this build has no service (server/service.c is not merged yet)");
}

void svc_close(struct svc *s)
{
	(void)s;
}

int svc_call(struct svc *s, const char *target, json_t *req, json_t **resp, struct err *e)
{
	(void)s;
	(void)req;
	*resp = NULL;
	return err_setn(e, "ServiceUnavailable", "%s: this build has no service", target);
}

int svc_http_status(const struct err *e)
{
	(void)e;
	return 503;
}

const char *const *svc_targets(void)
{
	static const char *const none[] = { NULL };

	return none;
}
