/* tutti layer publish|list|get|delete — layers under $TUTTI_HOME
 * (registry/registry.h). Arguments: commands.def.
 *
 * Output: the JSON Lambda's API would answer (PublishLayerVersion,
 * ListLayers, ListLayerVersions, GetLayerVersion) on stdout, or with list
 * --output text aligned columns; delete prints nothing.
 * Exit codes: 0 done; 2 a usage error or the registry refused (invalid
 * name, unknown layer, content over the limits, a symlink pointing out of
 * the directory, a device): "tutti: ErrorType: message" on stderr, and
 * nothing is stored. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "registry.h"

/* layer list [NAME] --output text */
static const struct cli_column layer_columns[] = {
	{ "NAME", "LayerName" },
	{ "LATEST", "LatestMatchingVersion.Version" },
	{ "CREATED", "LatestMatchingVersion.CreatedDate" },
	{ "DESCRIPTION", "LatestMatchingVersion.Description" },
};
static const struct cli_column version_columns[] = {
	{ "VERSION", "Version" },
	{ "CREATED", "CreatedDate" },
	{ "DESCRIPTION", "Description" },
};

static int fail(const struct err *e)
{
	cli_print_err(e);
	return CLI_EXIT_USAGE;
}

static int print_json(json_t *j)
{
	int ok = json_dumpf(j, stdout, JSON_INDENT(2)) == 0 && putchar('\n') != EOF;

	json_decref(j);
	return ok ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

int cmd_layer(struct cli *cli, const struct cli_args *a)
{
	struct registry *reg;
	struct err e = { 0 };
	json_t *j = NULL;
	int rc;

	reg = registry_open(cli->home, &e);
	if (!reg)
		return fail(&e);
	switch (a->cmd) {
	case CMD_LAYER_PUBLISH:
		rc = registry_layer_publish(reg, a->pos[0], a->pos[1], cli_str(a, OPT_DESCRIPTION), &j, &e) < 0
		     ? fail(&e) : print_json(j);
		break;
	case CMD_LAYER_DELETE:
		rc = registry_layer_delete(reg, a->pos[0], &e) ? fail(&e) : CLI_EXIT_OK;
		break;
	case CMD_LAYER_GET:
		rc = registry_layer_get_json(reg, a->pos[0], &j, &e) ? fail(&e) : print_json(j);
		break;
	default:
		if (a->npos)
			rc = registry_layer_versions_json(reg, a->pos[0], &j, &e) ? fail(&e)
			     : cli_print_listing(a, j, "LayerVersions", version_columns,
						 sizeof version_columns / sizeof version_columns[0], "json");
		else
			rc = registry_layer_list_json(reg, &j, &e) ? fail(&e)
			     : cli_print_listing(a, j, "Layers", layer_columns,
						 sizeof layer_columns / sizeof layer_columns[0], "json");
		break;
	}
	registry_close(reg);
	return rc;
}
