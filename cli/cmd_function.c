/* tutti function create|update|get|list|versions|delete — the function
 * registry under $TUTTI_HOME (registry/registry.h).
 *
 * Output: the JSON Lambda's API would answer (CreateFunction,
 * GetFunctionConfiguration, ListFunctions, ListVersionsByFunction) on
 * stdout; delete prints nothing.
 * Exit codes: 0 done; 2 a usage error, or the registry refused (unknown
 * function, name taken, invalid value, code that does not load): one line
 * "tutti: ErrorType: message" on stderr, and nothing is stored. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "registry.h"

static const char usage_text[] =
	"usage: tutti function create NAME --code F.so [OPTIONS]\n"
	"       tutti function update NAME [--code F.so] [OPTIONS]\n"
	"       tutti function get NAME[:VERSION]\n"
	"       tutti function list\n"
	"       tutti function versions NAME\n"
	"       tutti function delete NAME[:VERSION]\n"
	"\n"
	"options (update keeps every setting not given):\n"
	"  --code F.so                the function's shared object\n"
	"  --handler SYM              handler symbol (default: handler)\n"
	"  --layer NAME[:VER]         a layer, in /opt order; repeat up to 5 times\n"
	"  --no-layers                (update) remove all layers\n"
	"  --timeout S                1-900 seconds (default: 3)\n"
	"  --memory MB                128-10240 (default: 128)\n"
	"  --tmp MB                   /tmp size, 512-10240 (default: 512)\n"
	"  --env K=V                  an environment variable; repeat (update: replaces all)\n"
	"  --no-env                   (update) remove all environment variables\n"
	"  --network | --no-network   network access (default: off)\n"
	"  --reserved-concurrency N   0-1000 environments at most (0: no reservation)\n"
	"  --description TEXT         up to 256 characters\n";

enum opt_id {
	O_CODE, O_HANDLER, O_LAYER, O_NO_LAYERS, O_TIMEOUT, O_MEMORY, O_TMP, O_ENV, O_NO_ENV,
	O_NETWORK, O_NO_NETWORK, O_CONCURRENCY, O_DESCRIPTION,
};

static const struct {
	const char *name;
	enum opt_id id;
	int has_arg;
} opts[] = {
	{ "code", O_CODE, 1 },           { "handler", O_HANDLER, 1 },
	{ "layer", O_LAYER, 1 },         { "no-layers", O_NO_LAYERS, 0 },
	{ "timeout", O_TIMEOUT, 1 },     { "memory", O_MEMORY, 1 },
	{ "tmp", O_TMP, 1 },             { "env", O_ENV, 1 },
	{ "no-env", O_NO_ENV, 0 },       { "network", O_NETWORK, 0 },
	{ "no-network", O_NO_NETWORK, 0 },
	{ "reserved-concurrency", O_CONCURRENCY, 1 },
	{ "description", O_DESCRIPTION, 1 },
};

static int fail(const struct err *e)
{
	fprintf(stderr, "tutti: %s: %s\n", e->type, e->msg);
	return CLI_EXIT_USAGE;
}

static int print_json(json_t *j)
{
	int rc = json_dumpf(j, stdout, JSON_INDENT(2)) == 0 && putchar('\n') != EOF;

	json_decref(j);
	return rc ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

static int parse_long(const char *opt, const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return cli_usage("--%s expects a non-negative whole number, not '%s'", opt, s);
	*out = v;
	return 0;
}

/* Parse argv (after the verb) into the name and spec; env[] and layers[]
 * (argc entries each) receive the --env and --layer values, borrowed from
 * argv. 0, CLI_EXIT_USAGE (message printed), or -1 after printing --help. */
static int parse(int argc, char **argv, const char **name, struct registry_fn_spec *s,
		 const char **env, const char **layers)
{
	bool only_args = false;

	*name = NULL;
	registry_fn_spec_init(s);
	s->env = env;
	s->layers = layers;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		size_t k, nl;

		if (only_args || a[0] != '-' || !a[1]) {
			if (*name)
				return cli_usage("unexpected argument '%s'", a);
			*name = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_args = true;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, stdout);
			return -1;
		}
		if (strncmp(a, "--", 2))
			return cli_usage("unknown option '%s' (see tutti function --help)", a);
		eq = strchr(a, '=');
		nl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		for (k = 0; k < sizeof opts / sizeof opts[0]; k++)
			if (strlen(opts[k].name) == nl && !strncmp(opts[k].name, a + 2, nl))
				break;
		if (k == sizeof opts / sizeof opts[0])
			return cli_usage("unknown option '%s' (see tutti function --help)", a);
		if (opts[k].has_arg) {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return cli_usage("--%s needs a value", opts[k].name);
		} else if (eq) {
			return cli_usage("--%s takes no value", opts[k].name);
		}
		switch (opts[k].id) {
		case O_CODE: s->code_path = val; break;
		case O_HANDLER: s->handler = val; break;
		case O_DESCRIPTION: s->description = val; break;
		case O_NETWORK: s->network = 1; break;
		case O_NO_NETWORK: s->network = 0; break;
		case O_TIMEOUT:
			if (parse_long(opts[k].name, val, &s->timeout_s))
				return CLI_EXIT_USAGE;
			break;
		case O_MEMORY:
			if (parse_long(opts[k].name, val, &s->memory_mb))
				return CLI_EXIT_USAGE;
			break;
		case O_TMP:
			if (parse_long(opts[k].name, val, &s->tmp_mb))
				return CLI_EXIT_USAGE;
			break;
		case O_CONCURRENCY:
			if (parse_long(opts[k].name, val, &s->reserved_concurrency))
				return CLI_EXIT_USAGE;
			break;
		case O_ENV:
			s->set_env = true;
			env[s->n_env++] = val;
			break;
		case O_NO_ENV:
			s->set_env = true;
			break;
		case O_LAYER:
			s->set_layers = true;
			/* The registry reports "more than 5"; keep counting up to argc. */
			layers[s->n_layers++] = val;
			break;
		case O_NO_LAYERS:
			s->set_layers = true;
			break;
		}
	}
	if (!*name)
		return cli_usage("missing function NAME (see tutti function --help)");
	return 0;
}

static int check_code(void *arg, const struct fn_config *cfg, struct err *e)
{
	return rt_check_code(arg, cfg, e);
}

static int create_or_update(struct cli *cli, struct registry *reg, bool create, int argc,
			    char **argv)
{
	const char **env = calloc((size_t)argc + 1, sizeof *env);
	const char **layers = calloc((size_t)argc + 1, sizeof *layers);
	struct registry_fn_spec s;
	const char *name;
	char ref[FN_NAME_MAX + 16];
	struct err e = { 0 };
	json_t *j = NULL;
	struct rt *rt;
	int rc, v;

	if (!env || !layers) {
		rc = cli_usage("out of memory");
		goto out;
	}
	if ((rc = parse(argc, argv, &name, &s, env, layers))) {
		if (rc < 0)   /* --help */
			rc = CLI_EXIT_OK;
		goto out;
	}
	if (create && !s.code_path) {
		rc = cli_usage("function create needs --code F.so");
		goto out;
	}
	/* The runtime (its zygote) starts before the registry takes its lock. */
	rt = cli_rt(cli);
	if (!rt) {
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	v = create ? registry_function_create(reg, name, &s, check_code, rt, &e)
		   : registry_function_update(reg, name, &s, check_code, rt, &e);
	if (v < 0) {
		rc = fail(&e);
		goto out;
	}
	snprintf(ref, sizeof ref, "%s:%d", name, v);
	if (registry_function_get_json(reg, ref, &j, &e)) {
		rc = fail(&e);
		goto out;
	}
	rc = print_json(j);
out:
	free(env);
	free(layers);
	return rc;
}

int cmd_function(struct cli *cli, int argc, char **argv)
{
	struct registry *reg = NULL;
	struct err e = { 0 };
	json_t *j = NULL;
	const char *verb;
	int rc;

	if (argc < 2)
		return cli_usage("missing subcommand\n%s", usage_text);
	verb = argv[1];
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help")) {
		fputs(usage_text, stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(verb, "create") && strcmp(verb, "update") && strcmp(verb, "get") &&
	    strcmp(verb, "list") && strcmp(verb, "versions") && strcmp(verb, "delete"))
		return cli_usage("unknown subcommand 'function %s'\n%s", verb, usage_text);
	if (!strcmp(verb, "list") ? argc != 2
	    : (strcmp(verb, "create") && strcmp(verb, "update") && argc != 3))
		return cli_usage("usage: tutti function %s%s", verb,
				 !strcmp(verb, "list") ? "" : !strcmp(verb, "versions") ? " NAME"
				 : " NAME[:VERSION]");
	reg = registry_open(cli->home, &e);
	if (!reg)
		return fail(&e);
	if (!strcmp(verb, "create") || !strcmp(verb, "update"))
		rc = create_or_update(cli, reg, !strcmp(verb, "create"), argc - 2, argv + 2);
	else if (!strcmp(verb, "delete"))
		rc = registry_function_delete(reg, argv[2], &e) ? fail(&e) : CLI_EXIT_OK;
	else if ((!strcmp(verb, "get") ? registry_function_get_json(reg, argv[2], &j, &e)
		  : !strcmp(verb, "versions") ? registry_function_versions_json(reg, argv[2], &j, &e)
		  : registry_function_list_json(reg, &j, &e)))
		rc = fail(&e);
	else
		rc = print_json(j);
	registry_close(reg);
	return rc;
}
