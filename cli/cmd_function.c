/* tutti function create|update|get|list|versions|delete — the function
 * registry under $TUTTI_HOME (registry/registry.h). Arguments: commands.def.
 *
 * Output: the JSON Lambda's API would answer (CreateFunction,
 * GetFunctionConfiguration, ListFunctions, ListVersionsByFunction) on
 * stdout, or with list/versions --output text aligned columns; delete
 * prints nothing.
 * Exit codes: 0 done; 2 a usage error, or the registry refused (unknown
 * function, name taken, invalid value, code that does not load): one line
 * "tutti: ErrorType: message" on stderr, and nothing is stored. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "registry.h"

/* function list|versions --output text */
static const struct cli_column list_columns[] = {
	{ "NAME", "FunctionName" },   { "HANDLER", "Handler" },
	{ "TIMEOUT", "Timeout" },     { "MEMORY", "MemorySize" },
	{ "LAYERS", "Layers" },       { "NETWORK", "Network" },
	{ "LAST MODIFIED", "LastModified" }, { "DESCRIPTION", "Description" },
};
static const struct cli_column version_columns[] = {
	{ "VERSION", "Version" },     { "HANDLER", "Handler" },
	{ "TIMEOUT", "Timeout" },     { "MEMORY", "MemorySize" },
	{ "LAYERS", "Layers" },       { "NETWORK", "Network" },
	{ "CODE SHA256", "CodeSha256" }, { "LAST MODIFIED", "LastModified" },
	{ "DESCRIPTION", "Description" },
};

static int fail(const struct err *e)
{
	cli_print_err(e);
	return CLI_EXIT_USAGE;
}

static int print_json(json_t *j)
{
	int rc = json_dumpf(j, stdout, JSON_INDENT(2)) == 0 && putchar('\n') != EOF;

	json_decref(j);
	return rc ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

static int parse_long(int opt, const char *s, long *out)
{
	char *end;
	long v;

	if (!s)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return cli_usage("function: --%s expects a non-negative whole number, not '%s'",
				 cli_grammar.opts[opt].name, s);
	*out = v;
	return 0;
}

/* The spec create/update publish, from the options; 0 or CLI_EXIT_USAGE. */
static int spec_from(const struct cli_args *a, struct registry_fn_spec *s)
{
	registry_fn_spec_init(s);
	s->code_path = cli_str(a, OPT_CODE);
	s->handler = cli_str(a, OPT_HANDLER);
	s->description = cli_str(a, OPT_DESCRIPTION);
	/* --network and --no-network: the one given last wins */
	if (cli_count(a, OPT_NETWORK) || cli_count(a, OPT_NO_NETWORK))
		s->network = cli_count(a, OPT_NETWORK) &&
			     (!cli_count(a, OPT_NO_NETWORK) || a->opt[OPT_NETWORK].at > a->opt[OPT_NO_NETWORK].at);
	if (parse_long(OPT_TIMEOUT, cli_str(a, OPT_TIMEOUT), &s->timeout_s) ||
	    parse_long(OPT_MEMORY, cli_str(a, OPT_MEMORY), &s->memory_mb) ||
	    parse_long(OPT_TMP, cli_str(a, OPT_TMP), &s->tmp_mb) ||
	    parse_long(OPT_RESERVED_CONCURRENCY, cli_str(a, OPT_RESERVED_CONCURRENCY),
		       &s->reserved_concurrency))
		return CLI_EXIT_USAGE;
	if (cli_count(a, OPT_ENV) || cli_count(a, OPT_NO_ENV)) {
		s->set_env = true;
		s->env = cli_list(a, OPT_ENV);
		s->n_env = cli_count(a, OPT_ENV);
	}
	if (cli_count(a, OPT_LAYER) || cli_count(a, OPT_NO_LAYERS)) {
		s->set_layers = true;
		s->layers = cli_list(a, OPT_LAYER);
		s->n_layers = cli_count(a, OPT_LAYER);
	}
	return 0;
}

struct check_arg {
	struct rt *rt;
	const char *code_path; /* --code as given, or NULL */
};

/* The sandbox sees the code at /var/task/function.so; a refusal names the
 * file the user gave instead ("hello.c: invalid ELF header"). */
#define CODE_IN_SANDBOX "/var/task/function.so"

static int check_code(void *arg, const struct fn_config *cfg, struct err *e)
{
	const struct check_arg *ca = arg;
	char msg[ERR_MSG_MAX];
	char *at;

	if (!rt_check_code(ca->rt, cfg, e))
		return 0;
	if (ca->code_path && (at = strstr(e->msg, CODE_IN_SANDBOX))) {
		snprintf(msg, sizeof msg, "%.*s%s%s", (int)(at - e->msg), e->msg, ca->code_path,
			 at + strlen(CODE_IN_SANDBOX));
		snprintf(e->msg, sizeof e->msg, "%s", msg);
	}
	return -1;
}

static int create_or_update(struct cli *cli, const struct cli_args *a, bool create)
{
	struct registry_fn_spec s;
	struct registry *reg = NULL;
	const char *name = a->pos[0];
	char ref[FN_NAME_MAX + 16];
	struct err e = { 0 };
	json_t *j = NULL;
	struct check_arg ca;
	struct rt *rt;
	int rc, v;

	if ((rc = spec_from(a, &s)))
		return rc;
	if (create && !s.code_path)
		return cli_usage("function create needs --code F.so");
	reg = registry_open(cli->home, &e);
	if (!reg)
		return fail(&e);
	/* The runtime (its zygote) starts before the registry takes its lock. */
	cli->oneshot = true; /* (one code check) */
	rt = cli_rt(cli);
	if (!rt) {
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	ca = (struct check_arg){ rt, s.code_path };
	v = create ? registry_function_create(reg, name, &s, check_code, &ca, &e)
		   : registry_function_update(reg, name, &s, check_code, &ca, &e);
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
	registry_close(reg);
	return rc;
}

int cmd_function_create(struct cli *cli, const struct cli_args *a)
{
	return create_or_update(cli, a, true);
}

int cmd_function_update(struct cli *cli, const struct cli_args *a)
{
	return create_or_update(cli, a, false);
}

/* get, list, versions, delete: one registry call each. */
int cmd_function_query(struct cli *cli, const struct cli_args *a)
{
	struct registry *reg;
	struct err e = { 0 };
	json_t *j = NULL;
	int rc;

	reg = registry_open(cli->home, &e);
	if (!reg)
		return fail(&e);
	switch (a->cmd) {
	case CMD_FUNCTION_DELETE:
		rc = registry_function_delete(reg, a->pos[0], &e) ? fail(&e) : CLI_EXIT_OK;
		break;
	case CMD_FUNCTION_GET:
		rc = registry_function_get_json(reg, a->pos[0], &j, &e) ? fail(&e) : print_json(j);
		break;
	case CMD_FUNCTION_VERSIONS:
		rc = registry_function_versions_json(reg, a->pos[0], &j, &e) ? fail(&e)
		     : cli_print_listing(a, j, "Versions", version_columns,
					 sizeof version_columns / sizeof version_columns[0], "json");
		break;
	default:
		rc = registry_function_list_json(reg, &j, &e) ? fail(&e)
		     : cli_print_listing(a, j, "Functions", list_columns,
					 sizeof list_columns / sizeof list_columns[0], "json");
		break;
	}
	registry_close(reg);
	return rc;
}
