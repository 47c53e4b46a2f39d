/* tutti bucket — a thin wrapper: the command lives in tutti-integrations.so
 * with the S3 code it drives (cli/integ_bucket.c has its usage, output and
 * exit codes). Exit code 2 when that object cannot be loaded. */
#include <stdio.h>

#include "cli.h"
#include "integ_loader.h"

int cmd_bucket(struct cli *cli, int argc, char **argv)
{
	const struct integ_api *api;
	struct err e = { 0 };

	api = integ_load(&e);
	if (!api) {
		fprintf(stderr, "tutti: %s: %s\n", e.type, e.msg);
		return CLI_EXIT_USAGE;
	}
	return api->bucket_main(argc, argv, cli->home);
}
