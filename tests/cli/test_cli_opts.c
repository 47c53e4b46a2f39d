/* The command-line grammar's parser (cli/opts.h): value forms, missing
 * values, unknown options and commands with suggestions, list caps,
 * positional counts, "--", help; then properties of tutti's own tables
 * (cli/commands.def, cli/options.def). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"

/* ---- a small grammar of its own ---------------------------------------- */

enum { T_NAME, T_FLAG, T_ENV, T_OUT, T_FMT, T_HIST, T_HELP, T_NOPTS };
static const struct cli_opt t_opts[] = {
	[T_NAME] = { "name", 0, CLI_ARG_REQ, 1, "NAME", "a name" },
	[T_FLAG] = { "flag", 0, CLI_ARG_NONE, 1, NULL, "a flag" },
	[T_ENV] = { "env", 0, CLI_ARG_REQ, 3, "K=V", "a variable" },
	[T_OUT] = { NULL, 'o', CLI_ARG_REQ, 1, "FILE", "output file" },
	[T_FMT] = { "format", 0, CLI_ARG_CHOICE, 1, "json|text|yaml", "a format" },
	[T_HIST] = { "history", 0, CLI_ARG_OPT, 1, "FILE", "history" },
	[T_HELP] = { "help", 'h', CLI_ARG_NONE, 1, NULL, "help" },
};
#define B(i) ((uint64_t)1 << (i))
enum { C_GRP, C_MAKE, C_LIST, C_LEAF, C_NCMDS };
static const struct cli_cmd t_cmds[] = {
	[C_GRP] = { "grp", CLI_NONE, true, "", "", "a group", 0, 0, NULL },
	[C_MAKE] = { "make", C_GRP, false, "NAME [EXTRA]", "NAME [EXTRA] [--name N]", "make one",
		     B(T_NAME) | B(T_FLAG) | B(T_ENV) | B(T_FMT) | B(T_HIST), 0, NULL },
	[C_LIST] = { "list", C_GRP, false, "", "", "list them", B(T_FMT), 0, NULL },
	[C_LEAF] = { "leaf", CLI_NONE, false, "[SRC...]", "SRC... -o FILE [-- FLAGS...]", "a leaf",
		     B(T_OUT), CLI_REST, "Some notes.\n" },
};
static const struct cli_grammar tg = {
	.prog = "prog", .opts = t_opts, .nopts = T_NOPTS, .help = T_HELP,
	.cmds = t_cmds, .ncmds = C_NCMDS,
};

static char *out_text, *err_text;
static size_t out_len, err_len;
static FILE *out_f, *err_f;
static struct cli_args A;

static void capture(void)
{
	out_f = open_memstream(&out_text, &out_len);
	err_f = open_memstream(&err_text, &err_len);
	cli_set_streams(out_f, err_f);
}

static void release(void)
{
	cli_set_streams(NULL, NULL);
	fclose(out_f);
	fclose(err_f);
	free(out_text);
	free(err_text);
	cli_args_free(&A);
}

/* Parse words (NULL-terminated, starting with the command's own word) as
 * command `cmd` of g; the streams are flushed into out_text/err_text. */
static char *words[64];
static int parse_g(const struct cli_grammar *g, int cmd, ...)
{
	va_list ap;
	int n = 0, rc;
	const char *w;

	va_start(ap, cmd);
	while ((w = va_arg(ap, const char *)) && n < 63)
		words[n++] = (char *)w;
	va_end(ap);
	words[n] = NULL;
	rc = cli_parse(g, cmd, n, words, &A);
	fflush(out_f);
	fflush(err_f);
	return rc;
}
#define parse(cmd, ...) parse_g(&tg, cmd, __VA_ARGS__, (const char *)NULL)

static int dispatch_g(const struct cli_grammar *g, char **argv)
{
	int n = 0, rc;

	while (argv[n])
		n++;
	rc = cli_dispatch(g, n, argv, &A);
	fflush(out_f);
	fflush(err_f);
	return rc;
}

#define has_err(s) ck_assert_msg(strstr(err_text, s), "stderr lacks \"%s\": %s", s, err_text)

START_TEST(test_both_value_forms)
{
	capture();
	ck_assert_int_eq(parse(C_MAKE, "make", "n1", "--name=one"), 0);
	ck_assert_str_eq(cli_str(&A, T_NAME), "one");
	cli_args_free(&A);
	ck_assert_int_eq(parse(C_MAKE, "make", "--name", "two", "n1"), 0);
	ck_assert_str_eq(cli_str(&A, T_NAME), "two");
	ck_assert_int_eq(A.npos, 1);
	ck_assert_str_eq(A.pos[0], "n1");
	cli_args_free(&A);
	/* a value may start with a dash, and may be empty */
	ck_assert_int_eq(parse(C_MAKE, "make", "n1", "--name", "-x"), 0);
	ck_assert_str_eq(cli_str(&A, T_NAME), "-x");
	cli_args_free(&A);
	ck_assert_int_eq(parse(C_MAKE, "make", "n1", "--name="), 0);
	ck_assert_str_eq(cli_str(&A, T_NAME), "");
	cli_args_free(&A);
	/* short options: -o FILE and -oFILE */
	ck_assert_int_eq(parse(C_LEAF, "leaf", "a.c", "-o", "x.so"), 0);
	ck_assert_str_eq(cli_str(&A, T_OUT), "x.so");
	cli_args_free(&A);
	ck_assert_int_eq(parse(C_LEAF, "leaf", "-ox.so", "a.c"), 0);
	ck_assert_str_eq(cli_str(&A, T_OUT), "x.so");
	ck_assert_str_eq(err_text, "");
	release();
}
END_TEST

START_TEST(test_last_value_wins_and_order)
{
	capture();
	ck_assert_int_eq(parse(C_MAKE, "make", "--name", "a", "n", "--flag", "--name=b"), 0);
	ck_assert_str_eq(cli_str(&A, T_NAME), "b");
	ck_assert_uint_eq(cli_count(&A, T_NAME), 2);
	ck_assert_uint_eq(cli_count(&A, T_FLAG), 1);
	ck_assert_int_gt(A.opt[T_NAME].at, A.opt[T_FLAG].at);
	ck_assert_uint_eq(cli_count(&A, T_ENV), 0);
	ck_assert_ptr_null(cli_str(&A, T_ENV));
	/* argv is not permuted */
	ck_assert_str_eq(words[1], "--name");
	ck_assert_str_eq(words[3], "n");
	release();
}
END_TEST

START_TEST(test_missing_argument)
{
	capture();
	ck_assert_int_eq(parse(C_MAKE, "make", "n", "--name"), CLI_EXIT_USAGE);
	has_err("prog: grp make: option '--name' requires an argument (NAME)");
	has_err("usage: prog grp make NAME [EXTRA] [--name N]");
	ck_assert_str_eq(out_text, "");
	cli_args_free(&A);
	ck_assert_int_eq(parse(C_LEAF, "leaf", "a.c", "-o"), CLI_EXIT_USAGE);
	has_err("option '-o' requires an argument (FILE)");
	release();
}
END_TEST

START_TEST(test_unknown_option_suggests)
{
	capture();
	ck_assert_int_eq(parse(C_MAKE, "make", "n", "--nmae", "x"), CLI_EXIT_USAGE);
	has_err("unknown option '--nmae' (did you mean --name?)");
	cli_args_free(&A);
	/* no abbreviations, though getopt_long would take them */
	ck_assert_int_eq(parse(C_MAKE, "make", "n", "--na=x"), CLI_EXIT_USAGE);
	has_err("unknown option '--na=x' (did you mean --name?)");
	cli_args_free(&A);
	/* a long option with one dash */
	ck_assert_int_eq(parse(C_MAKE, "make", "n", "-flag"), CLI_EXIT_USAGE);
	has_err("unknown option '-flag' (did you mean --flag?)");
	cli_args_free(&A);
	/* nothing close: no suggestion */
	ck_assert_int_eq(parse(C_MAKE, "make", "n", "--zzzzzz"), CLI_EXIT_USAGE);
	has_err("unknown option '--zzzzzz'\n");
	cli_args_free(&A);
	/* an option another command takes is unknown here */
	ck_assert_int_eq(parse(C_LIST, "list", "--name", "x"), CLI_EXIT_USAGE);
	has_err("prog: grp list: unknown option '--name'");
	cli_args_free(&A);
	ck_assert_int_eq(parse(C_MAKE, "make", "n", "-q"), CLI_EXIT_USAGE);
	has_err("unknown option '-q'");
	cli_args_free(&A);
	ck_assert_int_eq(parse(C_MAKE, "make", "n", "--flag=1"), CLI_EXIT_USAGE);
	has_err("option '--flag' takes no value");
	release();
}
END_TEST

START_TEST(test_list_cap)
{
	const char *const *v;

	capture();
	ck_assert_int_eq(parse(C_MAKE, "make", "n", "--env", "A=1", "--name", "x", "--env=B=2", "--env", "C=3"), 0);
	ck_assert_uint_eq(cli_count(&A, T_ENV), 3);
	v = cli_list(&A, T_ENV);
	ck_assert_str_eq(v[0], "A=1");
	ck_assert_str_eq(v[1], "B=2");
	ck_assert_str_eq(v[2], "C=3");
	cli_args_free(&A);
	ck_assert_int_eq(parse(C_MAKE, "make", "n", "--env", "A=1", "--env", "B=2", "--env", "C=3",
			       "--env", "D=4"), CLI_EXIT_USAGE);
	has_err("too many --env (max 3)");
	release();
}
END_TEST

START_TEST(test_choice_and_optional_value)
{
	capture();
	ck_assert_int_eq(parse(C_MAKE, "make", "n", "--format", "text", "--history"), 0);
	ck_assert_str_eq(cli_str(&A, T_FMT), "text");
	ck_assert_uint_eq(cli_count(&A, T_HIST), 1);
	ck_assert_ptr_null(cli_str(&A, T_HIST));
	cli_args_free(&A);
	/* an optional value only with '=': the next word is positional */
	ck_assert_int_eq(parse(C_MAKE, "make", "n", "--history=h.json", "--history", "e"), 0);
	ck_assert_ptr_null(cli_str(&A, T_HIST));
	ck_assert_int_eq(A.npos, 2);
	cli_args_free(&A);
	ck_assert_int_eq(parse(C_MAKE, "make", "n", "--format=xml"), CLI_EXIT_USAGE);
	has_err("option '--format' must be json, text or yaml, not 'xml'");
	release();
}
END_TEST

START_TEST(test_positional_counts)
{
	capture();
	ck_assert_int_eq(parse(C_MAKE, "make", "--flag"), CLI_EXIT_USAGE);
	has_err("prog: grp make: missing NAME\nusage: prog grp make NAME [EXTRA] [--name N]\n");
	cli_args_free(&A);
	ck_assert_int_eq(parse(C_MAKE, "make", "a", "b", "c"), CLI_EXIT_USAGE);
	has_err("unexpected argument 'c'");
	cli_args_free(&A);
	ck_assert_int_eq(parse(C_MAKE, "make", "a", "b"), 0);
	ck_assert_int_eq(A.npos, 2);
	cli_args_free(&A);
	ck_assert_int_eq(parse(C_LIST, "list", "x"), CLI_EXIT_USAGE);
	has_err("prog: grp list: unexpected argument 'x'");
	cli_args_free(&A);
	/* SRC...: any number */
	ck_assert_int_eq(parse(C_LEAF, "leaf", "a", "b", "c", "d", "e"), 0);
	ck_assert_int_eq(A.npos, 5);
	release();
}
END_TEST

START_TEST(test_double_dash)
{
	capture();
	/* CLI_REST: what follows -- is kept apart, options and all */
	ck_assert_int_eq(parse(C_LEAF, "leaf", "a.c", "-o", "x", "b.c", "--", "-lm", "-o", "y"), 0);
	ck_assert_int_eq(A.npos, 2);
	ck_assert_str_eq(A.pos[1], "b.c");
	ck_assert_int_eq(A.nrest, 3);
	ck_assert_str_eq(A.rest[0], "-lm");
	ck_assert_str_eq(A.rest[2], "y");
	ck_assert_str_eq(cli_str(&A, T_OUT), "x");
	cli_args_free(&A);
	/* otherwise: positionals that look like options */
	ck_assert_int_eq(parse(C_MAKE, "make", "--", "-n", "--flag"), 0);
	ck_assert_int_eq(A.npos, 2);
	ck_assert_str_eq(A.pos[0], "-n");
	ck_assert_uint_eq(cli_count(&A, T_FLAG), 0);
	release();
}
END_TEST

START_TEST(test_help)
{
	capture();
	/* --help wins over errors and missing positionals */
	ck_assert_int_eq(parse(C_MAKE, "make", "--bogus", "--help"), CLI_DONE);
	ck_assert_ptr_nonnull(strstr(out_text, "usage: prog grp make NAME [EXTRA] [--name N]\n"));
	ck_assert_ptr_nonnull(strstr(out_text, "  --env K=V"));
	ck_assert_ptr_nonnull(strstr(out_text, "repeat up to 3 times"));
	ck_assert_ptr_nonnull(strstr(out_text, "  -h, --help"));
	ck_assert_ptr_null(strstr(out_text, "-o FILE"));   /* not make's */
	ck_assert_str_eq(err_text, "");
	cli_args_free(&A);
	ck_assert_int_eq(parse(C_LEAF, "leaf", "-h"), CLI_DONE);
	ck_assert_ptr_nonnull(strstr(out_text, "Some notes."));
	ck_assert_ptr_nonnull(strstr(out_text, "usage: prog leaf SRC... -o FILE [-- FLAGS...]\n"));
	release();
}
END_TEST

START_TEST(test_dispatch)
{
	char *unknown_cmd[] = { "prog", "grpp", NULL };
	char *unknown_sub[] = { "prog", "grp", "mkae", NULL };
	char *missing_sub[] = { "prog", "grp", NULL };
	char *group_help[] = { "prog", "grp", "--help", NULL };
	char *sub_help[] = { "prog", "grp", "help", "list", NULL };
	char *ok[] = { "prog", "grp", "make", "n", "--name=x", NULL };
	char *top_help[] = { "prog", "-h", NULL };

	capture();
	ck_assert_int_eq(dispatch_g(&tg, unknown_cmd), CLI_EXIT_USAGE);
	has_err("prog: unknown command 'grpp' (did you mean 'grp'?)");
	cli_args_free(&A);
	ck_assert_int_eq(dispatch_g(&tg, unknown_sub), CLI_EXIT_USAGE);
	has_err("prog: grp: unknown subcommand 'mkae' (did you mean 'make'?)");
	/* the group's usage lists every subcommand */
	has_err("usage: prog grp make NAME [EXTRA] [--name N]\n       prog grp list\n");
	cli_args_free(&A);
	ck_assert_int_eq(dispatch_g(&tg, missing_sub), CLI_EXIT_USAGE);
	has_err("prog: grp: missing subcommand");
	cli_args_free(&A);
	ck_assert_int_eq(dispatch_g(&tg, group_help), CLI_DONE);
	ck_assert_ptr_nonnull(strstr(out_text, "subcommands:\n  make"));
	cli_args_free(&A);
	ck_assert_int_eq(dispatch_g(&tg, sub_help), CLI_DONE);
	ck_assert_ptr_nonnull(strstr(out_text, "usage: prog grp list\n"));
	cli_args_free(&A);
	ck_assert_int_eq(dispatch_g(&tg, top_help), CLI_DONE);
	ck_assert_ptr_nonnull(strstr(out_text, "grp        a group (make|list)"));
	cli_args_free(&A);
	ck_assert_int_eq(dispatch_g(&tg, ok), 0);
	ck_assert_int_eq(A.cmd, C_MAKE);
	ck_assert_str_eq(cli_str(&A, T_NAME), "x");
	ck_assert_int_eq(A.argc, 4);   /* from the group's word */
	ck_assert_str_eq(A.argv[0], "grp");
	release();
}
END_TEST

START_TEST(test_suggest)
{
	static const char *const cands[] = { "invoke", "function", "layer", "list", "ls", "create", "versions" };
	const size_t n = sizeof cands / sizeof cands[0];

	ck_assert_str_eq(cli_suggest("invok", cands, n), "invoke");
	ck_assert_str_eq(cli_suggest("craete", cands, n), "create");   /* a transposition */
	ck_assert_str_eq(cli_suggest("funtcion", cands, n), "function");
	ck_assert_str_eq(cli_suggest("lst", cands, n), "list");
	ck_assert_str_eq(cli_suggest("vers", cands, n), "versions");   /* a unique prefix */
	ck_assert_ptr_null(cli_suggest("zebra", cands, n));
	ck_assert_ptr_null(cli_suggest("", cands, n));
}
END_TEST

/* ---- tutti's own grammar --------------------------------------------------- */

static const struct cli_grammar *G = &cli_grammar;

START_TEST(test_tables_complete)
{
	for (size_t i = 0; i < G->ncmds; i++) {
		const struct cli_cmd *c = &G->cmds[i];

		ck_assert_msg(c->name && c->summary && c->usage && c->pos, "command %zu incomplete", i);
		if (c->parent != CLI_NONE)
			ck_assert(G->cmds[c->parent].group);
		ck_assert_int_eq(cli_find(G, c->parent, c->name), (int)i);
		ck_assert_msg(!(c->opts >> OPT_HELP & 1), "%s lists --help: it is implicit", c->name);
	}
	for (size_t i = 0; i < G->nopts; i++) {
		ck_assert(G->opts[i].help && (G->opts[i].name || G->opts[i].shortname));
		ck_assert(G->opts[i].max >= 1);
		ck_assert(G->opts[i].arg == CLI_ARG_NONE || G->opts[i].meta);
	}
}
END_TEST

START_TEST(test_tables_help_lists_every_option)
{
	capture();
	for (size_t i = 0; i < G->ncmds; i++) {
		if (G->cmds[i].group)
			continue;
		rewind(out_f);
		cli_help(G, (int)i, out_f);
		fputc('\0', out_f);
		fflush(out_f);
		for (size_t o = 0; o < G->nopts; o++) {
			char want[64];

			if (!(G->cmds[i].opts >> o & 1) || !G->opts[o].name)
				continue;
			snprintf(want, sizeof want, "--%s", G->opts[o].name);
			ck_assert_msg(strstr(out_text, want), "%s: help lacks %s", G->cmds[i].name, want);
		}
	}
	release();
}
END_TEST

START_TEST(test_tutti_env_cap)
{
	char *argv[2 + 2 * (CLI_ENV_MAX + 1) + 1];
	int n = 0;

	capture();
	argv[n++] = "create";
	argv[n++] = "f";
	for (int i = 0; i < CLI_ENV_MAX; i++) {
		argv[n++] = "--env";
		argv[n++] = "K=V";
	}
	argv[n] = NULL;
	ck_assert_int_eq(cli_parse(G, CMD_FUNCTION_CREATE, n, argv, &A), 0);
	ck_assert_uint_eq(cli_count(&A, OPT_ENV), CLI_ENV_MAX);
	cli_args_free(&A);
	argv[n++] = "--env";
	argv[n++] = "K=V";
	argv[n] = NULL;
	ck_assert_int_eq(cli_parse(G, CMD_FUNCTION_CREATE, n, argv, &A), CLI_EXIT_USAGE);
	fflush(err_f);
	has_err("tutti: function create: too many --env (max 64)");
	release();
}
END_TEST

START_TEST(test_tutti_commands)
{
	capture();
	ck_assert_int_eq(parse_g(G, CMD_INVOKE, "invoke", "f", "--payload={}", NULL), 0);
	ck_assert_str_eq(cli_str(&A, OPT_PAYLOAD), "{}");
	cli_args_free(&A);
	ck_assert_int_eq(parse_g(G, CMD_RUN, "run", "d.json", "--input", "{}", "--function", "a=b.so",
				 "--function=c=d.so", NULL), 0);
	ck_assert_uint_eq(cli_count(&A, OPT_FUNCTION), 2);
	ck_assert_str_eq(cli_list(&A, OPT_FUNCTION)[1], "c=d.so");
	cli_args_free(&A);
	ck_assert_int_eq(parse_g(G, CMD_LAYER_LIST, "list", "--json", NULL), CLI_EXIT_USAGE);
	has_err("tutti: layer list: unknown option '--json'");
	cli_args_free(&A);
	ck_assert_int_eq(parse_g(G, CMD_LAYER_LIST, "list", "--output", "text", NULL), 0);
	ck_assert_int_eq(A.npos, 0);
	cli_args_free(&A);
	ck_assert_int_eq(parse_g(G, CMD_BUILD, "build", "a.c", "-o", "a.so", "--", "-lm", NULL), 0);
	ck_assert_int_eq(A.nrest, 1);
	cli_args_free(&A);
	ck_assert_int_eq(parse_g(G, CMD_RUN, "run", "d.json", "i.json", "x.json", NULL), CLI_EXIT_USAGE);
	has_err("tutti: run: unexpected argument 'x.json'");
	release();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli_opts");
	TCase *tc = tcase_create("parser");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_both_value_forms);
	tcase_add_test(tc, test_last_value_wins_and_order);
	tcase_add_test(tc, test_missing_argument);
	tcase_add_test(tc, test_unknown_option_suggests);
	tcase_add_test(tc, test_list_cap);
	tcase_add_test(tc, test_choice_and_optional_value);
	tcase_add_test(tc, test_positional_counts);
	tcase_add_test(tc, test_double_dash);
	tcase_add_test(tc, test_help);
	tcase_add_test(tc, test_dispatch);
	tcase_add_test(tc, test_suggest);
	suite_add_tcase(s, tc);
	tc = tcase_create("tutti");
	tcase_add_test(tc, test_tables_complete);
	tcase_add_test(tc, test_tables_help_lists_every_option);
	tcase_add_test(tc, test_tutti_env_cap);
	tcase_add_test(tc, test_tutti_commands);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
