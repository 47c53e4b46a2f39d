/* tutti bucket — S3 buckets as the S3 tasks see them (bucket/bucket.h):
 * the body of the command, built into tutti-integrations.so (it needs
 * libs3 and libcurl); cli/cmd_bucket.c loads it (integ_loader.h). The
 * store: the file-backed one under $TUTTI_HOME/buckets, or the
 * S3-compatible endpoint the environment names (AWS_ENDPOINT_URL_S3, ...).
 *
 * Output: create/delete/put/rm print nothing; list prints one bucket name a
 * line; get writes the object's bytes to stdout; ls and call print the S3
 * task's result JSON (call: {"error": ..., "cause": ...} on failure).
 * Exit codes: 0 done; 1 the store refused or failed
 * ("tutti: ErrorName: message" on stderr); 2 usage or configuration
 * error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bucket.h"
#include "cli.h"
#include "integ_loader.h"
#include "s3_task.h"

static const char usage_text[] =
	"usage: tutti bucket create NAME | list | delete NAME\n"
	"       tutti bucket put BUCKET KEY DATA|@FILE [--content-type TYPE]\n"
	"       tutti bucket get BUCKET KEY       the object's bytes on stdout\n"
	"       tutti bucket rm BUCKET KEY\n"
	"       tutti bucket ls BUCKET [PREFIX]   as the listObjectsV2 task\n"
	"       tutti bucket call ACTION PARAMS   run an S3 task (putObject, getObject,\n"
	"                                         listObjectsV2, deleteObject) with\n"
	"                                         PARAMS (JSON|@FILE) as Parameters\n"
	"\n"
	"The store: $TUTTI_HOME/buckets, or the S3-compatible endpoint in\n"
	"AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL (with AWS_ACCESS_KEY_ID,\n"
	"AWS_SECRET_ACCESS_KEY, AWS_REGION, TUTTI_S3_PATH_STYLE, TUTTI_S3_SIGV4);\n"
	"TUTTI_BUCKETS=file|s3 forces one. See docs/integrations.md.\n";

#define PUT_MAX (64u << 20)

static int fail(const struct err *e)
{
	fprintf(stderr, "tutti: %s: %s\n", e->type, e->msg);
	return CLI_EXIT_FAILED;
}

static int print_json(json_t *j)
{
	int ok = json_dumpf(j, stdout, JSON_INDENT(2)) == 0 && putchar('\n') != EOF;

	json_decref(j);
	return ok ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

static int do_call(struct bucket_store *bs, const char *action, const char *params_arg, bool print_error)
{
	char resource[128];
	struct err e = { 0 };
	json_t *params, *res = NULL;
	json_error_t je;
	size_t len = 0;
	char *text;
	int rc;

	text = cli_read_arg(params_arg, 4 * PUT_MAX, &len);
	if (!text)
		return CLI_EXIT_USAGE;
	params = json_loadb(text, len, 0, &je);
	free(text);
	if (!json_is_object(params)) {
		json_decref(params);
		return cli_usage("PARAMS must be a JSON object (%s)", je.text);
	}
	snprintf(resource, sizeof resource, S3_TASK_PREFIX "%s", action);
	rc = s3_task_invoke(bs, resource, params, 0, &res, &e);
	json_decref(params);
	if (!rc)
		return print_json(res);
	if (print_error) {
		print_json(json_pack("{s:s,s:s}", "error", e.type, "cause", e.msg));
		return CLI_EXIT_FAILED;
	}
	return fail(&e);
}

static int put(struct bucket_store *bs, int argc, char **argv)
{
	const char *pos[3] = { NULL, NULL, NULL }, *ctype = NULL;
	struct bucket_object_info info;
	struct err e = { 0 };
	size_t len = 0;
	char *data;
	int np = 0, rc;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--content-type") && i + 1 < argc)
			ctype = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage("unknown option '%s'", argv[i]);
		else if (np < 3)
			pos[np++] = argv[i];
		else
			return cli_usage("unexpected argument '%s'", argv[i]);
	}
	if (np != 3)
		return cli_usage("usage: tutti bucket put BUCKET KEY DATA|@FILE [--content-type TYPE]");
	data = cli_read_arg(pos[2], PUT_MAX, &len);
	if (!data)
		return CLI_EXIT_USAGE;
	rc = bucket_put(bs, pos[0], pos[1], data, len, ctype, 0, &info, &e) ? fail(&e) : CLI_EXIT_OK;
	free(data);
	return rc;
}

static int get(struct bucket_store *bs, const char *bucket, const char *key)
{
	struct bucket_object_info info;
	struct err e = { 0 };
	struct buf b;
	int rc = CLI_EXIT_OK;

	buf_init(&b, 0);
	if (bucket_get(bs, bucket, key, 0, &b, &info, &e))
		rc = fail(&e);
	else if (b.len && fwrite(b.data, 1, b.len, stdout) != b.len)
		rc = CLI_EXIT_FAILED;
	buf_free(&b);
	return rc;
}

static int list_buckets(struct bucket_store *bs)
{
	struct err e = { 0 };
	char **names;
	size_t n;

	if (bucket_list_buckets(bs, 0, &names, &n, &e))
		return fail(&e);
	for (size_t i = 0; i < n; i++)
		puts(names[i]);
	bucket_names_free(names, n);
	return CLI_EXIT_OK;
}

int integ_bucket_main(int argc, char **argv, const char *home)
{
	struct bucket_config cfg;
	struct bucket_store *bs = NULL;
	struct err e = { 0 };
	const char *verb;
	int rc;

	if (argc < 2)
		return cli_usage("missing subcommand\n%s", usage_text);
	verb = argv[1];
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help")) {
		fputs(usage_text, stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(verb, "list") ? argc != 2
	    : !strcmp(verb, "create") || !strcmp(verb, "delete") ? argc != 3
	    : !strcmp(verb, "get") || !strcmp(verb, "rm") || !strcmp(verb, "call") ? argc != 4
	    : !strcmp(verb, "ls") ? argc != 3 && argc != 4
	    : !strcmp(verb, "put") ? argc < 5
	    : 1)
		return cli_usage("%s: bad arguments\n%s", verb, usage_text);
	if (bucket_config_from_env(&cfg, home, &e)) {
		fprintf(stderr, "tutti: %s\n", e.msg);
		return CLI_EXIT_USAGE;
	}
	bs = bucket_open(&cfg, &e);
	if (!bs) {
		fprintf(stderr, "tutti: %s: %s\n", e.type, e.msg);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(verb, "create"))
		rc = bucket_create(bs, argv[2], 0, &e) ? fail(&e) : CLI_EXIT_OK;
	else if (!strcmp(verb, "delete"))
		rc = bucket_remove(bs, argv[2], 0, &e) ? fail(&e) : CLI_EXIT_OK;
	else if (!strcmp(verb, "list"))
		rc = list_buckets(bs);
	else if (!strcmp(verb, "put"))
		rc = put(bs, argc - 2, argv + 2);
	else if (!strcmp(verb, "get"))
		rc = get(bs, argv[2], argv[3]);
	else if (!strcmp(verb, "rm"))
		rc = bucket_delete(bs, argv[2], argv[3], 0, &e) ? fail(&e) : CLI_EXIT_OK;
	else if (!strcmp(verb, "ls")) {
		json_t *p = json_pack("{s:s,s:s}", "Bucket", argv[2], "Prefix", argc == 4 ? argv[3] : "");
		char *t = json_dumps(p, JSON_COMPACT);

		rc = do_call(bs, "listObjectsV2", t, false);
		free(t);
		json_decref(p);
	} else {
		rc = do_call(bs, argv[2], argv[3], true);
	}
	bucket_close(bs);
	return rc;
}
