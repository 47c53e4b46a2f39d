/* tutti eval [--jsonata|--jsonpath] EXPR [--input JSON|@FILE] [--bind NAME=JSON]...
 *
 * A playground for the expression languages of state machines, and how
 * the JSONata engine (jsonata/jsonata.h) is tested from outside. Prints the
 * result as one line of JSON (JavaScript's number forms) and exits 0; an
 * undefined result prints nothing and exits 0; an error prints one JSON
 * object {"code", "position", "token", "message"} on stderr and exits 1;
 * usage errors exit 2. --jsonpath evaluates a Step Functions path ($ the
 * input, $NAME a --bind variable) with the ASL module's jsonpath.h.
 * Arguments: commands.def. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "err.h"
#include "fnconf.h"
#include "jsonata.h"
#include "jsonpath.h"

static void print_error(const char *code, long position, const char *token, const char *message)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(code));
	json_object_set_new(o, "position", position >= 0 ? json_integer(position) : json_null());
	json_object_set_new(o, "token", token && *token ? json_string(token) : json_null());
	json_object_set_new(o, "message", json_string(message));
	char *t = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	fprintf(stderr, "%s\n", t ? t : "{\"code\":\"U0000\"}");
	free(t);
	json_decref(o);
}

/* JSON|@FILE as a value; NULL after a usage message. */
static json_t *json_value_arg(const char *arg, const char *what)
{
	json_error_t je;
	size_t len = 0;
	char *text = cli_read_arg(arg, FN_PAYLOAD_MAX, &len);
	if (!text)
		return NULL;
	json_t *j = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &je);
	free(text);
	if (!j)
		cli_usage("%s is not valid JSON: %s (line %d)", what, je.text, je.line);
	return j;
}

static int eval_jsonata(const char *expr, json_t *input, json_t *binds)
{
	struct jsonata *x = NULL;
	struct jsonata_error e;
	char *out = NULL;
	if (jsonata_compile(expr, strlen(expr), &x, &e) != 0) {
		print_error(e.code, e.position, e.token, e.message);
		return CLI_EXIT_FAILED;
	}
	int rc = jsonata_eval_text(x, NULL, input, binds, NULL, &out, &e);
	jsonata_free(x);
	if (rc) {
		print_error(e.code, e.position, e.token, e.message);
		return CLI_EXIT_FAILED;
	}
	if (out) {
		fwrite(out, 1, strlen(out), stdout);
		fputc('\n', stdout);
		free(out);
	}
	return fflush(stdout) ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

static int eval_jsonpath(const char *expr, json_t *input, json_t *binds)
{
	struct err e;
	json_t *out = NULL;
	struct jsonpath_roots roots = {.input = input, .context = NULL, .vars = binds};
	memset(&e, 0, sizeof(e));
	if (jsonpath_query(expr, &roots, &out, &e) != 0) {
		print_error(e.type, -1, NULL, e.msg);
		return CLI_EXIT_FAILED;
	}
	char *t = jsonata_dumps(out);
	json_decref(out);
	if (t) {
		printf("%s\n", t);
		free(t);
	}
	return fflush(stdout) ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

int cmd_eval(struct cli *cli, const struct cli_args *a)
{
	(void)cli;
	const char *expr = a->pos[0];
	json_t *input = NULL, *binds = NULL;
	int rc = CLI_EXIT_USAGE;
	if (cli_count(a, OPT_JSONATA) && cli_count(a, OPT_JSONPATH)) {
		cli_usage("--jsonata and --jsonpath exclude each other");
		goto out;
	}
	if (cli_str(a, OPT_INPUT) && !(input = json_value_arg(cli_str(a, OPT_INPUT), "--input")))
		goto out;
	if (cli_count(a, OPT_BIND)) {
		binds = json_object();
		const char *const *list = cli_list(a, OPT_BIND);
		for (unsigned i = 0; i < cli_count(a, OPT_BIND); i++) {
			const char *eq = strchr(list[i], '=');
			if (!eq || eq == list[i]) {
				cli_usage("--bind takes NAME=JSON, not '%s'", list[i]);
				goto out;
			}
			char name[256];
			size_t nl = (size_t)(eq - list[i]);
			if (nl >= sizeof(name)) {
				cli_usage("--bind: the name is longer than %zu bytes", sizeof(name) - 1);
				goto out;
			}
			memcpy(name, list[i], nl);
			name[nl] = 0;
			if (name[0] == '$')
				memmove(name, name + 1, nl);
			json_t *v = json_value_arg(eq + 1, "--bind");
			if (!v)
				goto out;
			json_object_set_new(binds, name, v);
		}
	}
	rc = cli_count(a, OPT_JSONPATH) ? eval_jsonpath(expr, input, binds) : eval_jsonata(expr, input, binds);
out:
	json_decref(input);
	json_decref(binds);
	return rc;
}
