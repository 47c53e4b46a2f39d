/* call — how the CLI reaches the server's actions (cli.h: cli_call), and
 * the helpers the commands of the server's resources share (ARNs, times,
 * pages, tables). The HTTP client is in tutti-integrations.so
 * (cli/integ_client.c): only commands that talk to a server load libcurl. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "fsutil.h"
#include "integ_loader.h"
#include "registry.h"
#include "service.h"
#include "termsafe.h"

enum route { ROUTE_READ, ROUTE_WRITE, ROUTE_RUN };

/* Actions that make something happen now: the server's engine runs them. */
static const char *const run_actions[] = {
	"StartExecution", "StartSyncExecution", "StopExecution", "RedriveExecution", "SendTaskSuccess",
	"SendTaskFailure", "SendTaskHeartbeat", "GetActivityTask", "TestState", NULL,
};

static enum route route_of(const char *target)
{
	const char *dot = strrchr(target, '.');
	const char *act = dot ? dot + 1 : target;

	for (const char *const *r = run_actions; *r; r++)
		if (!strcmp(act, *r))
			return ROUTE_RUN;
	if (!strncmp(act, "Describe", 8) || !strncmp(act, "List", 4) || !strncmp(act, "Get", 3))
		return ROUTE_READ;
	return ROUTE_WRITE;
}

void cli_endpoint(const struct cli *cli, char *url, size_t n, bool *known)
{
	const char *env = getenv("TUTTI_ENDPOINT");
	char path[sizeof cli->home + 32], *text = NULL;
	size_t len = 0;

	if (known)
		*known = true;
	if (env && *env) {
		snprintf(url, n, "%s", env);
		return;
	}
	snprintf(path, sizeof path, "%s/" CLI_ENDPOINT_FILE, cli->home);
	if (!fs_read_file(path, 512, &text, &len) && len) {
		len = strcspn(text, "\r\n");
		snprintf(url, n, "%.*s", (int)len, text);
		free(text);
		if (*url)
			return;
	}
	free(text);
	if (known)
		*known = false;
	snprintf(url, n, "http://127.0.0.1:8080");
}

static int print_no_server(const char *url)
{
	fprintf(stderr, "tutti: no tutti serve is running at %s; start one with `tutti serve`\n", url);
	return CLI_EXIT_FAILED;
}

/* The server's answer: 0 and *resp, or the error printed. */
static int server_answer(const char *url, long status, const struct buf *b, json_t **resp)
{
	json_error_t je;
	json_t *j = json_loadb(b->data ? b->data : "", b->len, 0, &je);
	struct err e = { 0 };

	if (status == 200 && json_is_object(j)) {
		*resp = j;
		return 0;
	}
	if (json_is_string(json_object_get(j, "__type"))) {
		const char *type = json_string_value(json_object_get(j, "__type"));
		const char *msg = json_string_value(json_object_get(j, "message"));

		/* "Namespace#Name" in some AWS answers */
		type = strchr(type, '#') ? strchr(type, '#') + 1 : type;
		err_setn(&e, type, "%s", msg ? msg : "");
	} else {
		err_setn(&e, "InternalFailure", "%s answered HTTP %ld with %s", url, status,
			 j ? "JSON that is not an AWS answer" : "a body that is not JSON");
	}
	json_decref(j);
	cli_print_err(&e);
	return CLI_EXIT_FAILED;
}

/* POST to the server: 0 answered (*resp or the error printed: *rc), 1 none
 * listens there, -1 failed (printed: *rc). */
static int on_server(const char *url, const char *target, json_t *req, json_t **resp, int *rc)
{
	const struct integ_api *api;
	struct err e = { 0 };
	struct buf b;
	long status = 0;
	char *body;
	int r;

	api = integ_load(&e);
	if (!api) {
		cli_print_err(&e);
		*rc = CLI_EXIT_FAILED;
		return -1;
	}
	body = json_dumps(req, JSON_COMPACT);
	if (!body) {
		fprintf(stderr, "tutti: cannot encode the request\n");
		*rc = CLI_EXIT_FAILED;
		return -1;
	}
	buf_init(&b, CLI_RESPONSE_MAX);
	r = api->http_call(url, target, body, strlen(body), CLI_RESPONSE_MAX, CLI_CALL_TIMEOUT_MS, &status, &b, &e);
	free(body);
	if (r == 0)
		*rc = server_answer(url, status, &b, resp);
	else if (r < 0) {
		cli_print_err(&e);
		*rc = CLI_EXIT_FAILED;
	}
	buf_free(&b);
	return r;
}

static int in_process(struct cli *cli, enum svc_mode mode, const char *target, json_t *req, json_t **resp)
{
	struct svc_options o;
	struct err e = { 0 };

	if (!cli->svc) {
		svc_options_init(&o);
		o.home = cli->home;
		o.mode = mode;
		if (svc_open(&o, &cli->svc, &e)) {
			cli->svc = NULL;
			cli_print_err(&e);
			return CLI_EXIT_FAILED;
		}
	}
	if (svc_call(cli->svc, target, req, resp, &e)) {
		cli_print_err(&e);
		return CLI_EXIT_FAILED;
	}
	if (!*resp)
		*resp = json_object();
	return 0;
}

int cli_call(struct cli *cli, const char *target, json_t *req, json_t **resp)
{
	char url[1024];
	bool known;
	int rc = CLI_EXIT_FAILED;

	*resp = NULL;
	switch (route_of(target)) {
	case ROUTE_READ:
		return in_process(cli, SVC_READER, target, req, resp);
	case ROUTE_WRITE:
		/* Only a server this home names (serve.endpoint) or the user
		 * names (TUTTI_ENDPOINT): a guessed port may be another home's
		 * server, and a change must not land in the wrong store. */
		cli_endpoint(cli, url, sizeof url, &known);
		if (known && on_server(url, target, req, resp, &rc) != 1)
			return rc;
		return in_process(cli, SVC_OFFLINE, target, req, resp);
	case ROUTE_RUN:
	default:
		cli_endpoint(cli, url, sizeof url, NULL);
		if (on_server(url, target, req, resp, &rc) == 1)
			return print_no_server(url);
		return rc;
	}
}

/* ---- helpers of the commands ----------------------------------------------- */

void cli_sm_arn(const char *s, char *out, size_t n)
{
	if (!strncmp(s, "arn:", 4))
		snprintf(out, n, "%s", s);
	else
		snprintf(out, n, "arn:aws:states:" REGISTRY_REGION ":" REGISTRY_ACCOUNT ":stateMachine:%s", s);
}

void cli_time_text(const json_t *v, char *buf, size_t n)
{
	double t;
	time_t s;
	struct tm tm;
	char day[32];

	if (!json_is_number(v)) {
		snprintf(buf, n, "-");
		return;
	}
	t = json_number_value(v);
	s = (time_t)t;
	if (!localtime_r(&s, &tm) || !strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S", &tm)) {
		snprintf(buf, n, "-");
		return;
	}
	snprintf(buf, n, "%s.%03d", day, (int)((t - (double)s) * 1000.0 + 0.5) % 1000);
}

char *cli_json_arg(const char *arg, const char *what, size_t cap)
{
	json_error_t je;
	size_t len = 0;
	char *text = cli_read_arg(arg, cap, &len);
	json_t *j;

	if (!text)
		return NULL;
	j = json_loadb(text, len, JSON_DECODE_ANY, &je);
	if (!j) {
		cli_usage("%s is not valid JSON: %s (line %d)", what, je.text, je.line);
		free(text);
		return NULL;
	}
	json_decref(j);
	return text;
}

int cli_print_doc(json_t *doc)
{
	if (!doc)
		return CLI_EXIT_FAILED;
	cli_print_json(stdout, doc, JSON_INDENT(2));
	json_decref(doc);
	return fflush(stdout) ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

json_t *cli_table_cell(const char *s, size_t max)
{
	char *c;
	size_t i = 0, chars = 0;
	json_t *j;

	if (!s)
		return json_string("-");
	c = strdup(s);
	if (!c)
		return NULL;
	termsafe_fix_utf8(c);
	for (; c[i]; i++) {
		if (((unsigned char)c[i] & 0xc0) != 0x80 && ++chars > max)
			break;
		if ((unsigned char)c[i] < 0x20)
			c[i] = ' ';
	}
	if (c[i] && i >= 3) {
		/* cut on a character, with "..." */
		size_t k = i;

		for (int dots = 0; dots < 3 && k; dots++) {
			do
				k--;
			while (k && ((unsigned char)c[k] & 0xc0) == 0x80);
		}
		memcpy(c + k, "...", 4);
	}
	j = json_string(c);
	free(c);
	return j;
}

int cli_call_pages(struct cli *cli, const char *target, json_t *req, const char *key, const char *token_key,
		   const char *max_key, const struct cli_args *a, json_t **out)
{
	const char *max = cli_str(a, OPT_MAX_ITEMS), *token = cli_str(a, OPT_NEXT_TOKEN);
	json_t *all = NULL, *page = NULL, *tok;
	char *end;
	long n;
	int rc;

	*out = NULL;
	if (max) {
		errno = 0;
		n = strtol(max, &end, 10);
		if (errno || *end || end == max || n < 1 || n > 1000)
			return cli_usage("--max-items must be 1-1000");
		json_object_set_new(req, max_key, json_integer(n));
	}
	if (token)
		json_object_set_new(req, token_key, json_string(token));
	for (;;) {
		rc = cli_call(cli, target, req, &page);
		if (rc)
			goto out;
		if (!all)
			all = json_incref(json_object_get(page, key));
		else
			json_array_extend(all, json_object_get(page, key));
		tok = json_object_get(page, token_key);
		if (max || !json_is_string(tok) || !*json_string_value(tok))
			break;
		json_object_set(req, token_key, tok);
		json_decref(page);
		page = NULL;
	}
	if (!json_is_array(all)) {
		json_decref(all);
		all = json_array();
	}
	if (!max)
		json_object_del(page, token_key);
	json_object_set_new(page, key, all);
	all = NULL;
	*out = page;
	page = NULL;
	rc = 0;
out:
	json_decref(all);
	json_decref(page);
	return rc;
}
