/* Placeholder until the command lands; exits 2 (usage/configuration). */
#include <stdio.h>

#include "cli.h"

int cmd_layer(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	fprintf(stderr, "tutti: 'layer' is not implemented yet\n");
	return CLI_EXIT_USAGE;
}
