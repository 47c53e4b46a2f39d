/* integ_entry — the one symbol tutti-integrations.so exports (its version
 * script, orchestrator/integrations/integrations.ver, hides the rest): the table
 * integ_load() finds with dlsym. Not linked into the tutti binary. */
#include "integ_loader.h"
#include "integrations.h"
#include "svc_lambda.h"
#include "console.h"
#include "graph.h"

const struct integ_api tutti_integrations = {
	.version = INTEG_API_VERSION,
	.size = sizeof(struct integ_api),
	.integrations_new = integrations_new,
	.integrations_register = integrations_register,
	.integrations_free = integrations_free,
	.bucket_main = integ_bucket_main,
	.http_options_init = http_options_init,
	.http_new = http_new,
	.http_route = http_route,
	.http_aws_json = http_aws_json,
	.http_start = http_start,
	.http_url = http_url,
	.http_stop = http_stop,
	.http_free = http_free,
	.http_call = integ_http_call,
	.http_scheduler_rest = http_scheduler_rest,
	.s3_api_open = s3_api_open,
	.s3_api_close = s3_api_close,
	.lambda_routes = svc_lambda_routes,
	.console_routes = console_routes,
	.graph_svg = graph_svg,
};
