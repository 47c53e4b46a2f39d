/* cli_definition — a state machine definition as `tutti run`, `tutti
 * validate` and `tutti state-machine create|update` read it: the file,
 * then DefinitionSubstitutions (asl_substitute) from --substitutions
 * FILE.json (an object of NAME: string | number | boolean) and
 * --substitute NAME=VALUE (later ones win, the command line over the
 * file), over the defaults ${AWS::Partition} = aws, ${AWS::Region} and
 * ${AWS::AccountId} = tutti's region and account. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "cli.h"
#include "err.h"
#include "fsutil.h"
#include "registry.h"

static int load_subs(const struct cli_args *a, struct asl_substs *s)
{
	const char *file = cli_str(a, OPT_SUBSTITUTIONS);
	const char *const *list = cli_list(a, OPT_SUBSTITUTE);
	unsigned n = cli_count(a, OPT_SUBSTITUTE), i;
	struct err e = { 0 };

	if (file) {
		char *text = NULL;
		size_t len = 0;
		json_error_t je;
		json_t *obj;
		int r = fs_read_file(file, ASL_DEFINITION_MAX, &text, &len);

		if (r == -EFBIG)
			return cli_usage("--substitutions %s is larger than %d bytes", file, ASL_DEFINITION_MAX);
		if (r)
			return cli_usage("cannot read --substitutions %s: %s", file, strerror(-r));
		obj = json_loadb(text, len, 0, &je);
		free(text);
		if (!obj)
			return cli_usage("--substitutions %s: not JSON: line %d: %s", file, je.line, je.text);
		r = asl_substs_add_json(s, obj, &e);
		json_decref(obj);
		if (r)
			return cli_usage("--substitutions %s: %s", file, e.msg);
	}
	for (i = 0; i < n; i++) {
		const char *eq = strchr(list[i], '=');
		char name[ASL_SUBST_NAME_MAX + 1];

		if (!eq || eq == list[i] || (size_t)(eq - list[i]) > ASL_SUBST_NAME_MAX)
			return cli_usage("--substitute takes NAME=VALUE, not '%.100s'", list[i]);
		snprintf(name, sizeof name, "%.*s", (int)(eq - list[i]), list[i]);
		if (asl_substs_add(s, name, eq + 1, &e))
			return cli_usage("--substitute %s: %s", name, e.msg);
	}
	if (asl_substs_add_defaults(s, REGISTRY_REGION, REGISTRY_ACCOUNT, &e))
		return cli_usage("%s", e.msg);
	return 0;
}

int cli_definition(const struct cli_args *a, const char *path, FILE *problems, const char *header,
		   char **text, size_t *len)
{
	struct asl_substs subs;
	struct asl_diag diag;
	char *raw = NULL;
	size_t rawlen = 0, i;
	int rc, r;

	*text = NULL;
	*len = 0;
	asl_substs_init(&subs);
	asl_diag_init(&diag);
	r = fs_read_file(path, ASL_DEFINITION_MAX, &raw, &rawlen);
	if (r == -EFBIG) {
		/* too big is a property of the definition, reported like the rest */
		if (header)
			fprintf(problems, "%s\n", header);
		fprintf(problems, "$: definition is larger than %d bytes\n", ASL_DEFINITION_MAX);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (r) {
		rc = cli_usage("cannot read %s: %s", path, strerror(-r));
		goto out;
	}
	rc = load_subs(a, &subs);
	if (rc)
		goto out;
	if (asl_substitute(raw, rawlen, &subs, text, len, &diag)) {
		if (header)
			fprintf(problems, "%s\n", header);
		for (i = 0; i < diag.count; i++)
			fprintf(problems, "%s\n", diag.lines[i]);
		if (diag.oom)
			fprintf(problems, "$: out of memory while substituting\n");
		if (diag.total > diag.count && diag.count)
			fprintf(problems, "$: %zu more problems not shown\n", diag.total - diag.count);
		fflush(problems);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	rc = 0;
out:
	free(raw);
	asl_diag_free(&diag);
	asl_substs_free(&subs);
	return rc;
}
