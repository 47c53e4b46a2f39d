/* integ_entry — the one symbol tutti-integrations.so exports (its version
 * script, orchestrator/integrations/integrations.ver, hides the rest): the table
 * integ_load() finds with dlsym. Not linked into the tutti binary. */
#include "integ_loader.h"
#include "integrations.h"

const struct integ_api tutti_integrations = {
	.version = INTEG_API_VERSION,
	.size = sizeof(struct integ_api),
	.integrations_new = integrations_new,
	.integrations_register = integrations_register,
	.integrations_free = integrations_free,
	.bucket_main = integ_bucket_main,
};
