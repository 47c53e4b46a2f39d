/* tutti bucket — a thin wrapper: the command lives in tutti-integrations.so
 * with the S3 code it drives (cli/integ_bucket.c has its output and exit
 * codes). The arguments are checked here first, by the grammar
 * (commands.def), so that help and usage errors need no integrations;
 * integ_bucket.c parses the same argv with the same grammar. Exit code 2
 * when that object cannot be loaded. */
#include <stdio.h>

#include "cli.h"
#include "integ_loader.h"

int cmd_bucket(struct cli *cli, const struct cli_args *a)
{
	const struct integ_api *api;
	struct err e = { 0 };

	api = integ_load(&e);
	if (!api) {
		cli_print_err(&e);
		return CLI_EXIT_USAGE;
	}
	/* a->argv: "bucket", the subcommand, its arguments */
	return api->bucket_main(a->argc, a->argv, cli->home);
}
