/* tutti bucket — S3 buckets as the S3 tasks see them (bucket/bucket.h):
 * the body of the command, built into tutti-integrations.so (it needs
 * libs3 and libcurl); cli/cmd_bucket.c loads it (integ_loader.h). The
 * store: the file-backed one under $TUTTI_HOME/buckets, or the
 * S3-compatible endpoint the environment names (AWS_ENDPOINT_URL_S3, ...).
 *
 * Arguments: commands.def. Output: create/delete/put/rm print nothing;
 * list prints one bucket name a line (--output json: {"Buckets": [{"Name":
 * ...}]}); get writes the object's bytes to stdout; ls (--output text: KEY
 * SIZE LAST MODIFIED columns) and call print the S3 task's result JSON
 * (call: {"error": ..., "cause": ...} on failure).
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

/* bucket ls --output text */
static const struct cli_column object_columns[] = {
	{ "KEY", "Key" }, { "SIZE", "Size" }, { "LAST MODIFIED", "LastModified" },
};
static const struct cli_column bucket_columns[] = { { "NAME", "Name" } };

#define PUT_MAX (64u << 20)

static int fail(const struct err *e)
{
	cli_print_err(e); /* an S3 server's <Message>: C1 controls are valid XML */
	return CLI_EXIT_FAILED;
}

static int print_json(json_t *j)
{
	int ok = json_dumpf(j, stdout, JSON_INDENT(2)) == 0 && putchar('\n') != EOF;

	json_decref(j);
	return ok ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

/* Run an S3 task; its result as JSON, or (`a` given) as --output asks. */
static int do_call(struct bucket_store *bs, const char *action, const char *params_arg, bool print_error,
		   const struct cli_args *a)
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
		return cli_usage("bucket call: PARAMS must be a JSON object (%s)", je.text);
	}
	snprintf(resource, sizeof resource, S3_TASK_PREFIX "%s", action);
	rc = s3_task_invoke(bs, resource, params, 0, &res, &e);
	json_decref(params);
	if (!rc && a)
		return cli_print_listing(a, res, "Contents", object_columns,
					 sizeof object_columns / sizeof object_columns[0], "json");
	if (!rc)
		return print_json(res);
	if (print_error) {
		print_json(json_pack("{s:s,s:s}", "error", e.type, "cause", e.msg));
		return CLI_EXIT_FAILED;
	}
	return fail(&e);
}

static int put(struct bucket_store *bs, const struct cli_args *a)
{
	struct bucket_object_info info;
	struct err e = { 0 };
	size_t len = 0;
	char *data;
	int rc;

	data = cli_read_arg(a->pos[2], PUT_MAX, &len);
	if (!data)
		return CLI_EXIT_USAGE;
	rc = bucket_put(bs, a->pos[0], a->pos[1], data, len, cli_str(a, OPT_CONTENT_TYPE), 0, &info, &e)
	     ? fail(&e) : CLI_EXIT_OK;
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

static int list_buckets(struct bucket_store *bs, const struct cli_args *a)
{
	struct err e = { 0 };
	json_t *doc, *arr;
	char **names;
	size_t n;

	if (bucket_list_buckets(bs, 0, &names, &n, &e))
		return fail(&e);
	arr = json_array();
	doc = json_pack("{s:o}", "Buckets", arr);
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, json_pack("{s:s}", "Name", names[i]));
	bucket_names_free(names, n);
	if (!doc) {
		fprintf(stderr, "tutti: out of memory\n");
		return CLI_EXIT_FAILED;
	}
	return cli_print_listing(a, doc, "Buckets", bucket_columns, 1, "text");
}

/* argv: "bucket", the subcommand, its arguments — as the tutti binary
 * received and checked them; parsed here again by the same grammar. */
int integ_bucket_main(int argc, char **argv, const char *home)
{
	const struct cli_grammar *g = &cli_grammar;
	struct bucket_config cfg;
	struct bucket_store *bs = NULL;
	struct err e = { 0 };
	struct cli_args a = { 0 };
	int sub, rc;

	sub = argc > 1 ? cli_find(g, CMD_BUCKET, argv[1]) : CLI_NONE;
	if (sub < 0)
		return cli_cmd_error(g, CMD_BUCKET, "missing subcommand");
	rc = cli_parse(g, sub, argc - 1, argv + 1, &a);
	if (rc) {
		rc = rc == CLI_DONE ? CLI_EXIT_OK : rc;
		goto out;
	}
	if (bucket_config_from_env(&cfg, home, &e)) {
		fprintf(stderr, "tutti: %s\n", e.msg);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	bs = bucket_open(&cfg, &e);
	if (!bs) {
		cli_print_err(&e);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	switch (sub) {
	case CMD_BUCKET_CREATE:
		rc = bucket_create(bs, a.pos[0], 0, &e) ? fail(&e) : CLI_EXIT_OK;
		break;
	case CMD_BUCKET_DELETE:
		rc = bucket_remove(bs, a.pos[0], 0, &e) ? fail(&e) : CLI_EXIT_OK;
		break;
	case CMD_BUCKET_LIST:
		rc = list_buckets(bs, &a);
		break;
	case CMD_BUCKET_PUT:
		rc = put(bs, &a);
		break;
	case CMD_BUCKET_GET:
		rc = get(bs, a.pos[0], a.pos[1]);
		break;
	case CMD_BUCKET_RM:
		rc = bucket_delete(bs, a.pos[0], a.pos[1], 0, &e) ? fail(&e) : CLI_EXIT_OK;
		break;
	case CMD_BUCKET_LS: {
		json_t *p = json_pack("{s:s,s:s}", "Bucket", a.pos[0], "Prefix", a.npos > 1 ? a.pos[1] : "");
		char *t = p ? json_dumps(p, JSON_COMPACT) : NULL;

		rc = t ? do_call(bs, "listObjectsV2", t, false, &a) : CLI_EXIT_FAILED;
		free(t);
		json_decref(p);
		break;
	}
	default:
		rc = do_call(bs, a.pos[0], a.pos[1], true, NULL);
		break;
	}
out:
	bucket_close(bs);
	cli_args_free(&a);
	return rc;
}
