/* tutti layer publish|list|get|delete — layers under $TUTTI_HOME
 * (registry/registry.h).
 *
 * Output: the JSON Lambda's API would answer (PublishLayerVersion,
 * ListLayers, ListLayerVersions, GetLayerVersion) on stdout; delete prints
 * nothing.
 * Exit codes: 0 done; 2 a usage error or the registry refused (invalid
 * name, unknown layer, content over the limits, a symlink pointing out of
 * the directory, a device): "tutti: ErrorType: message" on stderr, and
 * nothing is stored. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "registry.h"

static const char usage_text[] =
	"usage: tutti layer publish NAME DIR [--description TEXT]\n"
	"       tutti layer list [NAME]        all layers, or the versions of one\n"
	"       tutti layer get NAME[:VERSION]\n"
	"       tutti layer delete NAME[:VERSION]\n"
	"\n"
	"DIR becomes /opt of the functions using the layer: regular files,\n"
	"directories and symlinks that stay inside DIR; at most 250 MiB and\n"
	"10,000 entries. Each publish makes a new version (1, 2, ...).\n";

static int fail(const struct err *e)
{
	fprintf(stderr, "tutti: %s: %s\n", e->type, e->msg);
	return CLI_EXIT_USAGE;
}

static int print_json(json_t *j)
{
	int ok = json_dumpf(j, stdout, JSON_INDENT(2)) == 0 && putchar('\n') != EOF;

	json_decref(j);
	return ok ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

/* publish NAME DIR [--description TEXT]: positional and option in any order. */
static int publish(struct registry *reg, int argc, char **argv)
{
	const char *pos[2] = { NULL, NULL }, *desc = NULL;
	struct err e = { 0 };
	json_t *j = NULL;
	int np = 0;

	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "--description=", 14)) {
			desc = argv[i] + 14;
		} else if (!strcmp(argv[i], "--description")) {
			if (i + 1 == argc)
				return cli_usage("--description needs a value");
			desc = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage("unknown option '%s' (see tutti layer --help)", argv[i]);
		} else if (np == 2) {
			return cli_usage("unexpected argument '%s'", argv[i]);
		} else {
			pos[np++] = argv[i];
		}
	}
	if (np != 2)
		return cli_usage("usage: tutti layer publish NAME DIR [--description TEXT]");
	if (registry_layer_publish(reg, pos[0], pos[1], desc, &j, &e) < 0)
		return fail(&e);
	return print_json(j);
}

int cmd_layer(struct cli *cli, int argc, char **argv)
{
	struct registry *reg = NULL;
	struct err e = { 0 };
	json_t *j = NULL;
	const char *verb;
	int rc;

	(void)cli;
	if (argc < 2)
		return cli_usage("missing subcommand\n%s", usage_text);
	verb = argv[1];
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help")) {
		fputs(usage_text, stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(verb, "publish") && strcmp(verb, "list") && strcmp(verb, "get") &&
	    strcmp(verb, "delete"))
		return cli_usage("unknown subcommand 'layer %s'\n%s", verb, usage_text);
	if ((!strcmp(verb, "list") && argc > 3) ||
	    ((!strcmp(verb, "get") || !strcmp(verb, "delete")) && argc != 3))
		return cli_usage("usage: tutti layer %s", !strcmp(verb, "list") ? "list [NAME]"
				 : !strcmp(verb, "get") ? "get NAME[:VERSION]"
				 : "delete NAME[:VERSION]");
	reg = registry_open(cli->home, &e);
	if (!reg)
		return fail(&e);
	if (!strcmp(verb, "publish"))
		rc = publish(reg, argc - 2, argv + 2);
	else if (!strcmp(verb, "delete"))
		rc = registry_layer_delete(reg, argv[2], &e) ? fail(&e) : CLI_EXIT_OK;
	else if (!strcmp(verb, "get") ? registry_layer_get_json(reg, argv[2], &j, &e)
		 : argc == 3 ? registry_layer_versions_json(reg, argv[2], &j, &e)
		 : registry_layer_list_json(reg, &j, &e))
		rc = fail(&e);
	else
		rc = print_json(j);
	registry_close(reg);
	return rc;
}
