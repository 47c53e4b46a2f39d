/* tutti run DEFINITION.json [--input JSON|@FILE] [--function NAME=PATH.so]...
 *   [--wait-scale F] [--history[=FILE]] [--name NAME] [--type STANDARD|EXPRESS]
 *
 * Runs one execution of the state machine to its end.
 *   stdout: the execution's output JSON (exit 0), or
 *           {"error": ..., "cause": ...} when it failed, timed out or was
 *           aborted (exit 1). Nothing else is ever printed on stdout.
 *   --history        the execution history, {"events": [...]}, on stderr
 *   --history=FILE   ... written to FILE instead
 *   exit 2: usage error, unreadable file, invalid input JSON, or an invalid
 *           definition (the validator's lines, "PATH: message", on stderr).
 *
 * --function NAME=PATH.so binds a function for this run (default settings,
 * no registry needed); other function names resolve through the registry
 * in $TUTTI_HOME. The function runtime is started only when the machine
 * has a Task state that calls a function, the HTTP/S3 integrations
 * (tutti-integrations.so) only when it has an http:invoke or aws-sdk:s3
 * Task (exit 2 if they cannot be loaded). --wait-scale multiplies Wait
 * durations and Retry intervals (0: no waiting); TimeoutSeconds are real
 * time. --type EXPRESS (the default here) has no history quota; STANDARD
 * fails an execution that reaches 25,000 history events, as AWS does.
 * Arguments: commands.def. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl.h"
#include "cli.h"
#include "engine.h"
#include "engine_mock.h"
#include "fsutil.h"
#include "integ_loader.h"
#include "jsonmem.h"
#include "registry.h"

/* The machine a run leaves to the process's end (see the end of cmd_run). */
static struct asl_machine *volatile kept_machine;

/* The test case whose mocked responses answer (--mock-config). */
struct mocking {
	const struct engine_mock *m;
	const char *sm, *tc;
};

static bool needs_functions_m(const struct asl_machine *m, const struct mocking *mk);

static bool needs_functions(const struct asl_machine *m)
{
	return needs_functions_m(m, NULL);
}

/* A function is called by a Task no mocked response answers. */
static bool needs_functions_m(const struct asl_machine *m, const struct mocking *mk)
{
	size_t i, b;

	for (i = 0; i < m->n_states; i++) {
		const struct asl_state *st = &m->states[i];

		switch (st->type) {
		case ASL_TASK:
			if (mk && engine_mock_covers(mk->m, mk->sm, mk->tc, st->name))
				break;
			if (st->task.kind == ASL_RES_FUNCTION ||
			    (st->task.kind == ASL_RES_SERVICE && st->task.service &&
			     !strcmp(st->task.service, "lambda")))
				return true;
			break;
		case ASL_PARALLEL:
			for (b = 0; b < st->parallel.n_branches; b++)
				if (needs_functions_m(st->parallel.branches[b], mk))
					return true;
			break;
		case ASL_MAP:
			if (st->map.processor && needs_functions_m(st->map.processor, mk))
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

/* The state machine's name: the file's base name without .asl.json/.json,
 * with characters Step Functions refuses replaced by '-'. */
static void machine_name(const char *path, char *out, size_t n)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t len = strlen(base), i;

	if (len > 9 && !strcmp(base + len - 9, ".asl.json"))
		len -= 9;
	else if (len > 5 && !strcmp(base + len - 5, ".json"))
		len -= 5;
	if (len > ENGINE_NAME_MAX)
		len = ENGINE_NAME_MAX;
	if (!len || len + 1 > n) {
		snprintf(out, n, "StateMachine");
		return;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)base[i];

		out[i] = (c <= 0x20 || c == 0x7f || strchr("?*<>{}[]:;,\\|^~$#%&`\"", c)) ? '-' : (char)c;
	}
	out[len] = '\0';
}

static void print_json(FILE *f, json_t *v)
{
	cli_print_json(f, v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static int print_history(struct engine_exec *x, const char *file)
{
	const struct history *h = engine_exec_history(x);
	FILE *f = stderr;
	int rc;

	if (!h)
		return 0;
	if (file && !(f = fopen(file, "w"))) {
		fprintf(stderr, "tutti: cannot write %s: %s\n", file, strerror(errno));
		return -1;
	}
	rc = history_write(h, f);
	if (f != stderr && fclose(f))
		rc = -errno;
	if (rc)
		fprintf(stderr, "tutti: cannot write the history: %s\n", strerror(-rc));
	return rc;
}

static int bind(struct engine *eng, const char *spec)
{
	const char *eq = strchr(spec, '=');
	char name[FN_NAME_MAX + 1], real[PATH_MAX];
	struct fn_config cfg;

	if (!eq || eq == spec || (size_t)(eq - spec) > FN_NAME_MAX)
		return cli_usage("run: --function takes NAME=PATH.so, not '%s'", spec);
	snprintf(name, sizeof name, "%.*s", (int)(eq - spec), spec);
	if (!fnconf_valid_name(name))
		return cli_usage("run: invalid function name '%s' (1-64 of A-Z a-z 0-9 _ -)", name);
	if (!realpath(eq + 1, real))
		return cli_usage("run: --function %s: %s: %s", name, eq + 1, strerror(errno));
	fnconf_defaults(&cfg, name, real);
	snprintf(cfg.version, sizeof cfg.version, "local");
	if (engine_bind_function(eng, name, &cfg))
		return cli_usage("run: out of memory");
	return 0;
}

int cmd_run(struct cli *cli, const struct cli_args *args)
{
	const char *def = args->pos[0], *input_arg = cli_str(args, OPT_INPUT);
	const char *name = cli_str(args, OPT_NAME), *hist_file = cli_str(args, OPT_HISTORY);
	const char *const *fns = cli_list(args, OPT_FUNCTION);
	size_t nfns = cli_count(args, OPT_FUNCTION), len = 0, i;
	bool history = cli_count(args, OPT_HISTORY) > 0;
	char input_at[PATH_MAX + 2];
	double scale = 1.0;
	enum engine_type type = ENGINE_EXPRESS;
	struct engine_options o = { 0 };
	struct engine_start_args a = { 0 };
	struct engine *eng = NULL;
	const struct integ_api *integ_api = NULL;
	struct integrations *integ = NULL;
	struct engine_exec *x = NULL;
	struct registry *reg = NULL;
	struct asl_machine *m = NULL;
	struct asl_diag diag;
	struct err e;
	json_error_t je;
	json_t *input = NULL;
	char *text = NULL, *in_text = NULL, smname[ENGINE_NAME_MAX + 1];
	const char *mock_file = cli_str(args, OPT_MOCK_CONFIG), *test_case = cli_str(args, OPT_TEST_CASE);
	struct engine_mock *mock = NULL;
	struct mocking mk = { 0 };
	int rc = CLI_EXIT_USAGE;

	if (cli_str(args, OPT_WAIT_SCALE)) {
		const char *ws = cli_str(args, OPT_WAIT_SCALE);
		char *end;

		errno = 0;
		scale = strtod(ws, &end);
		if (errno || *end || end == ws || !(scale >= 0) || scale > 1e6)
			return cli_usage("run: --wait-scale takes a number >= 0");
	}
	if (cli_str(args, OPT_TYPE) && !strcmp(cli_str(args, OPT_TYPE), "STANDARD"))
		type = ENGINE_STANDARD;
	if (hist_file && !*hist_file)
		return cli_usage("run: --history=FILE needs a file name");
	/* `tutti run DEF INPUT.json`: the form conformance and benchmark
	 * drivers call (CMD DEFINITION INPUT). */
	if (args->npos == 2) {
		if (input_arg)
			return cli_usage("run: give the input as --input or as a file after the definition, not both");
		/* `tutti run def.json '{"n":1}'`: JSON text where a file name goes */
		if (strchr("{[\"", args->pos[1][0]) && access(args->pos[1], F_OK) != 0)
			return cli_usage("run: no input file '%.200s': JSON text goes in --input (tutti run %s --input JSON)",
					 args->pos[1], "DEFINITION.json");
		snprintf(input_at, sizeof input_at, "@%s", args->pos[1]);
		input_arg = input_at;
	}
	if (!input_arg)
		input_arg = "{}";
	if (!!mock_file != !!test_case)
		return cli_usage("run: --mock-config FILE and --test-case NAME go together");
	asl_diag_init(&diag);
	/* JSON values from jsonmem (faster), until we know the machine runs
	 * no user code (util/jsonmem.h). */
	jsonmem_install();

	/* 1. the definition, substituted (--substitute, --substitutions) */
	{
		char header[PATH_MAX + 100];

		snprintf(header, sizeof header,
			 "tutti: run: %.4000s is not a valid state machine (tutti validate lists the same problems):", def);
		rc = cli_definition(args, def, stderr, header, &text, &len);
		if (rc)
			goto out;
	}
	rc = CLI_EXIT_USAGE;
	m = asl_compile(text, len, &diag);
	if (!m) {
		fprintf(stderr, "tutti: run: %s is not a valid state machine (tutti validate lists the same problems):\n",
			def);
		for (i = 0; i < diag.count; i++)
			fprintf(stderr, "%s\n", diag.lines[i]);
		if (diag.total > diag.count)
			fprintf(stderr, "$: %zu more problems not shown\n", diag.total - diag.count);
		goto out;
	}
	if (needs_functions(m) || integ_machine_needs(m))
		jsonmem_disable();
	/* the test case: StateMachines[the definition's name], or the file's
	 * only state machine */
	machine_name(def, smname, sizeof smname);
	if (mock_file) {
		if (engine_mock_load(mock_file, &mock, &e)) {
			rc = cli_usage("run: --mock-config %s", e.msg);
			goto out;
		}
		if (!engine_mock_has(mock, smname, test_case) && engine_mock_only_machine(mock) &&
		    strlen(engine_mock_only_machine(mock)) <= ENGINE_NAME_MAX)
			snprintf(smname, sizeof smname, "%s", engine_mock_only_machine(mock));
		if (!engine_mock_has(mock, smname, test_case)) {
			rc = cli_usage("run: --mock-config %s has no test case '%s' for state machine '%s'",
				       mock_file, test_case, smname);
			goto out;
		}
		mk.m = mock;
		mk.sm = smname;
		mk.tc = test_case;
	}

	/* 2. the input (the engine enforces the 256 KiB limit itself) */
	in_text = cli_read_arg(input_arg, 4 * ENGINE_DATA_MAX, &len);
	if (!in_text)
		goto out;
	input = json_loadb(in_text, len, JSON_DECODE_ANY, &je);
	if (!input) {
		cli_usage("run: the input is not valid JSON: %s", je.text);
		goto out;
	}

	/* 3. the engine, and the runtime only if a function will be called */
	engine_options_init(&o);
	o.wait_scale = scale;
	/* A STANDARD execution records its history even when it is not
	 * printed: the 25,000-event quota is counted on it. */
	o.history = history || type == ENGINE_STANDARD;
	if (needs_functions_m(m, mock ? &mk : NULL)) {
		cli->log_failures = cli_count(args, OPT_LOG) > 0;
		o.rt = cli_rt(cli);
		if (!o.rt)
			goto out;
		/* Bound functions need no registry; others resolve through it. */
		reg = registry_open(cli->home, &e);
		if (!reg && nfns == 0) {
			cli_usage("run: cannot open the registry in %s: %s: %s", cli->home, e.type, e.msg);
			goto out;
		}
		o.registry = reg;
	}
	eng = engine_new(&o, &e);
	if (!eng) {
		cli_usage("run: %s: %s", e.type, e.msg);
		goto out;
	}
	/* HTTP and S3 tasks, loaded (libcurl, libs3) only for a machine that
	 * has one; their threads start with their first call. */
	if (integ_machine_needs(m)) {
		integ_api = integ_load(&e);
		integ = integ_api ? integ_api->integrations_new(cli->home, &e) : NULL;
		if (!integ || integ_api->integrations_register(integ, eng, &e)) {
			cli_usage("run: %s: %s", e.type, e.msg);
			goto out;
		}
	}
	for (i = 0; i < nfns; i++)
		if (bind(eng, fns[i]))
			goto out;
	/* registered last: tried before every other integration */
	if (mock && engine_mock_register(eng, mock, &e)) {
		cli_usage("run: %s: %s", e.type, e.msg);
		goto out;
	}

	/* 4. run */
	a.machine = m;
	a.test_case = test_case;
	a.input = input;
	a.name = name;
	a.machine_name = smname;
	a.type = type;
	if (engine_run(eng, &a, &x, &e)) {
		json_t *o2;

		if (!strcmp(e.type, "InvalidName")) {
			cli_usage("run: %s", e.msg);
			goto out;
		}
		/* e.g. the input is over the data limit: the execution fails */
		o2 = json_pack("{s:s, s:s}", "error", e.type, "cause", e.msg);
		print_json(stdout, o2);
		json_decref(o2);
		rc = CLI_EXIT_FAILED;
		goto out;
	}
	if (engine_exec_status(x) == ENGINE_SUCCEEDED) {
		print_json(stdout, engine_exec_output(x));
		rc = CLI_EXIT_OK;
	} else {
		const char *er = engine_exec_error(x), *ca = engine_exec_cause(x);
		json_t *o2 = json_pack("{s:o, s:o}", "error", er ? json_string(er) : json_null(),
				       "cause", ca ? json_string(ca) : json_null());

		print_json(stdout, o2);
		json_decref(o2);
		rc = CLI_EXIT_FAILED;
	}
	fflush(stdout);
	if (history && print_history(x, hist_file) && rc == CLI_EXIT_OK)
		rc = CLI_EXIT_USAGE;
out:
	engine_exec_release(x);
	engine_free(eng);
	engine_mock_free(mock);
	if (integ)
		integ_api->integrations_free(integ);
	if (o.rt)
		rt_drain(o.rt);   /* Event invocations (lambda:invoke InvocationType Event) */
	registry_close(reg);
	/* The process ends next: the kernel drops a big machine's thousands
	 * of allocations faster than free() does (a tenth of a 1,000-state
	 * run). Kept reachable, for leak checkers. */
	kept_machine = m;
	asl_diag_free(&diag);
	json_decref(input);
	free(in_text);
	free(text);
	return rc;
}
