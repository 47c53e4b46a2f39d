/* tutti validate DEFINITION.json — check a state machine definition.
 *
 * Exit codes: 0 the definition is valid (nothing printed); 2 it is not
 * (one line per problem on stdout: the JSON path of the offending field,
 * ": ", the message, in document order), or usage error / unreadable file
 * (message on stderr). --substitute/--substitutions: cli_definition.
 * Arguments: commands.def. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "cli.h"
#include "fsutil.h"

int cmd_validate(struct cli *cli, const struct cli_args *a)
{
	const char *path = a->pos[0];
	struct asl_diag diag;
	char *text = NULL;
	size_t len = 0, i;
	int rc;

	(void)cli;
	asl_diag_init(&diag);
	/* the file, its substitutions: problems on stdout like the rest */
	rc = cli_definition(a, path, stdout, NULL, &text, &len);
	if (rc)
		goto out;
	if (!asl_validate(text, len, &diag)) {
		rc = CLI_EXIT_OK;
		goto out;
	}
	for (i = 0; i < diag.count; i++)
		printf("%s\n", diag.lines[i]);
	if (diag.oom)
		printf("$: out of memory while validating; the list may be incomplete\n");
	if (diag.total > diag.count && diag.count)
		printf("$: %zu more problems not shown\n", diag.total - diag.count);
	rc = CLI_EXIT_USAGE;
out:
	fflush(stdout);
	asl_diag_free(&diag);
	free(text);
	return rc;
}
