/* Placeholder until the command lands. */
#include <stdio.h>

#include "cli.h"

int cmd_invoke(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	fprintf(stderr, "tutti: 'invoke' is not implemented yet\n");
	return CLI_EXIT_USAGE;
}
