/* opts — the command-line grammar's parser, help and suggestions
 * (cli/opts.h). */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "strdist.h"

#define WORD_MAX   STRDIST_WORD_MAX /* longest word compared */
#define HELP_COL   28     /* where option help starts */
#define ERR_MAX    512

static FILE *out_stream, *err_stream;

#define OUT (out_stream ? out_stream : stdout)
#define ERR (err_stream ? err_stream : stderr)

void cli_set_streams(FILE *out, FILE *err)
{
	out_stream = out;
	err_stream = err;
}

static bool is_help_word(const char *s)
{
	return !strcmp(s, "-h") || !strcmp(s, "--help");
}

/* "function create", "invoke" */
static void cmd_path(const struct cli_grammar *g, int cmd, char *buf, size_t n)
{
	const struct cli_cmd *c = &g->cmds[cmd];

	if (c->parent != CLI_NONE)
		snprintf(buf, n, "%s %s", g->cmds[c->parent].name, c->name);
	else
		snprintf(buf, n, "%s", c->name);
}

int cli_find(const struct cli_grammar *g, int parent, const char *name)
{
	for (size_t i = 0; i < g->ncmds; i++)
		if (g->cmds[i].parent == parent && !strcmp(g->cmds[i].name, name))
			return (int)i;
	return CLI_NONE;
}

/* ---- suggestions ---------------------------------------------------------- */

const char *cli_suggest(const char *word, const char *const *cands, size_t n)
{
	size_t len = strlen(word), best_d = (size_t)-1, limit, i, nprefix = 0;
	const char *best = NULL, *prefix = NULL;

	if (!len)
		return NULL;
	for (i = 0; i < n; i++) {
		if (len >= 2 && !strncmp(cands[i], word, len)) {
			prefix = cands[i];
			nprefix++;
		}
	}
	if (nprefix == 1)
		return prefix;
	limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	for (i = 0; i < n; i++) {
		size_t d = strdist(word, cands[i]);

		if (d <= limit && d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best;
}

/* The subcommands of `parent` (CLI_NONE: the commands) closest to word:
 * " (did you mean 'x'?)" into buf, or "". */
static void suggest_cmd(const struct cli_grammar *g, int parent, const char *word, char *buf, size_t n)
{
	const char *cands[CLI_OPTS_MAX * 2];
	const char *s;
	size_t k = 0;

	for (size_t i = 0; i < g->ncmds && k < sizeof cands / sizeof cands[0]; i++)
		if (g->cmds[i].parent == parent)
			cands[k++] = g->cmds[i].name;
	s = cli_suggest(word, cands, k);
	if (s)
		snprintf(buf, n, " (did you mean '%s'?)", s);
	else
		buf[0] = '\0';
}

/* ---- help ------------------------------------------------------------------ */

/* One command's usage lines, the first prefixed "usage: " if *first. */
static void leaf_usage(const struct cli_grammar *g, int cmd, FILE *f, bool *first)
{
	const char *u = g->cmds[cmd].usage ? g->cmds[cmd].usage : "";
	char path[128];

	cmd_path(g, cmd, path, sizeof path);
	do {
		size_t n = strcspn(u, "\n");

		fprintf(f, "%s%s %s%s%.*s\n", *first ? "usage: " : "       ", g->prog, path,
			n ? " " : "", (int)n, u);
		*first = false;
		u += n;
	} while (*u++);
}

void cli_usage_lines(const struct cli_grammar *g, int cmd, FILE *f)
{
	bool first = true;

	if (!g->cmds[cmd].group) {
		leaf_usage(g, cmd, f, &first);
		return;
	}
	for (size_t i = 0; i < g->ncmds; i++)
		if (g->cmds[i].parent == cmd)
			leaf_usage(g, (int)i, f, &first);
}

static size_t opt_label(const struct cli_opt *o, char *buf, size_t n)
{
	const char *meta = o->meta ? o->meta : "";
	int k;

	if (o->name && o->shortname)
		k = snprintf(buf, n, "-%c, --%s", o->shortname, o->name);
	else if (o->name)
		k = snprintf(buf, n, "--%s", o->name);
	else
		k = snprintf(buf, n, "-%c", o->shortname);
	if (k >= 0 && (size_t)k < n && o->arg != CLI_ARG_NONE)
		k += snprintf(buf + k, n - (size_t)k, o->arg == CLI_ARG_OPT ? "[=%s]" : " %s", meta);
	return k < 0 ? 0 : (size_t)k;
}

static void print_options(const struct cli_grammar *g, cli_mask mask, FILE *f)
{
	char label[128];

	fprintf(f, "\noptions:\n");
	for (size_t i = 0; i < g->nopts; i++) {
		const struct cli_opt *o = &g->opts[i];
		size_t n;

		if (!(mask >> i & 1))
			continue;
		n = opt_label(o, label, sizeof label);
		fprintf(f, "  %s", label);
		if (n + 4 > HELP_COL)   /* at least two blanks before the help */
			fprintf(f, "\n%*s", HELP_COL, "");
		else
			fprintf(f, "%*s", (int)(HELP_COL - 2 - n), "");
		fprintf(f, "%s", o->help);
		if (o->max > 1)
			fprintf(f, "; repeat up to %u times", o->max);
		fputc('\n', f);
	}
}

void cli_help(const struct cli_grammar *g, int cmd, FILE *f)
{
	const struct cli_cmd *c = &g->cmds[cmd];
	char path[128];

	cli_usage_lines(g, cmd, f);
	fprintf(f, "\n%s\n", c->summary);
	cmd_path(g, cmd, path, sizeof path);
	if (c->group) {
		fprintf(f, "\nsubcommands:\n");
		for (size_t i = 0; i < g->ncmds; i++)
			if (g->cmds[i].parent == cmd)
				fprintf(f, "  %-10s %s\n", g->cmds[i].name, g->cmds[i].summary);
	} else {
		print_options(g, c->opts | (cli_mask)1 << g->help, f);
	}
	if (c->notes)
		fprintf(f, "\n%s", c->notes);
	if (c->group)
		fprintf(f, "\nOptions of each: %s help %s SUBCOMMAND, or %s %s SUBCOMMAND --help.\n",
			g->prog, path, g->prog, path);
}

void cli_help_all(const struct cli_grammar *g, FILE *f)
{
	bool first = true;

	for (size_t i = 0; i < g->ncmds; i++)
		if (!g->cmds[i].group)
			leaf_usage(g, (int)i, f, &first);
	fprintf(f, "       %s --version\n\ncommands:\n", g->prog);
	for (size_t i = 0; i < g->ncmds; i++) {
		const struct cli_cmd *c = &g->cmds[i];
		const char *sep = " (";

		if (c->parent != CLI_NONE)
			continue;
		fprintf(f, "  %-10s %s", c->name, c->summary);
		for (size_t j = 0; c->group && j < g->ncmds; j++) {
			if (g->cmds[j].parent == (int)i) {
				fprintf(f, "%s%s", sep, g->cmds[j].name);
				sep = "|";
			}
		}
		fprintf(f, "%s\n", c->group ? ")" : "");
	}
	fprintf(f, "\nEvery command and subcommand takes -h/--help; %s help COMMAND [SUBCOMMAND]\n"
		   "prints the same. Options take their value as --opt VALUE or --opt=VALUE.\n"
		   "Exit codes: 0 done, 1 the function or execution failed, 2 usage or\n"
		   "configuration error (message on stderr). State lives under $TUTTI_HOME\n"
		   "(default ~/.tutti).\n", g->prog);
}

static void verror(const struct cli_grammar *g, int cmd, const char *fmt, va_list ap)
{
	char path[128];

	fprintf(ERR, "%s: ", g->prog);
	if (cmd != CLI_NONE) {
		cmd_path(g, cmd, path, sizeof path);
		fprintf(ERR, "%s: ", path);
	}
	vfprintf(ERR, fmt, ap);
	fputc('\n', ERR);
	if (cmd != CLI_NONE)
		cli_usage_lines(g, cmd, ERR);
}

int cli_cmd_error(const struct cli_grammar *g, int cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(g, cmd, fmt, ap);
	va_end(ap);
	return CLI_EXIT_USAGE;
}

/* ---- parsing --------------------------------------------------------------- */

/* min and max positional counts from a POS string; max -1: unbounded. */
static void pos_range(const char *pos, int *min, int *max)
{
	*min = *max = 0;
	while (pos && *pos) {
		size_t n = strcspn(pos, " ");
		bool optional = pos[0] == '[';
		bool repeats = n >= 3 && memmem(pos, n, "...", 3);

		if (n) {
			if (!optional)
				(*min)++;
			if (*max >= 0)
				*max = repeats ? -1 : *max + 1;
		}
		pos += n;
		pos += strspn(pos, " ");
	}
}

/* The required POS words from index `from` on, brackets and dots dropped. */
static void missing_words(const char *pos, int from, char *buf, size_t size)
{
	size_t len = 0;
	int k = 0;

	buf[0] = '\0';
	while (pos && *pos) {
		size_t n = strcspn(pos, " ");

		if (n && pos[0] != '[' && k++ >= from && len < size) {
			size_t w = n;

			while (w && pos[w - 1] == '.')
				w--;
			len += (size_t)snprintf(buf + len, size - len, "%s%.*s", len ? " " : "", (int)w, pos);
		}
		pos += n;
		pos += strspn(pos, " ");
	}
}

static bool choice_ok(const char *choices, const char *v)
{
	size_t lv = strlen(v);

	while (choices && *choices) {
		size_t n = strcspn(choices, "|");

		if (n == lv && !strncmp(choices, v, n))
			return true;
		choices += n;
		choices += *choices == '|';
	}
	return false;
}

struct parse {
	const struct cli_grammar *g;
	struct cli_args *a;
	cli_mask mask;
	char err[ERR_MAX];
	bool help;
};

static void perr(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void perr(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err[0])
		return;   /* the first error is the one reported */
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof p->err, fmt, ap);
	va_end(ap);
}

/* "--name" / "-c" for messages */
static const char *opt_name(const struct cli_opt *o, char *buf, size_t n)
{
	if (o->name)
		snprintf(buf, n, "--%s", o->name);
	else
		snprintf(buf, n, "-%c", o->shortname);
	return buf;
}

/* An unknown option `word` (without its dashes and value): the message,
 * with the closest option of this command. */
static void unknown_option(struct parse *p, const char *shown, const char *word, size_t wlen)
{
	const char *cands[CLI_OPTS_MAX];
	char w[WORD_MAX + 1];
	const char *s;
	size_t k = 0;

	for (size_t i = 0; i < p->g->nopts; i++)
		if ((p->mask >> i & 1) && p->g->opts[i].name)
			cands[k++] = p->g->opts[i].name;
	snprintf(w, sizeof w, "%.*s", (int)(wlen < WORD_MAX ? wlen : WORD_MAX), word);
	s = cli_suggest(w, cands, k);
	if (s)
		perr(p, "unknown option '%s' (did you mean --%s?)", shown, s);
	else
		perr(p, "unknown option '%s'", shown);
}

static void store(struct parse *p, int i, const char *val, int elem)
{
	const struct cli_opt *o = &p->g->opts[i];
	struct cli_val *v = &p->a->opt[i];
	char name[80];

	if (i == p->g->help) {
		p->help = true;
		return;
	}
	if (o->arg == CLI_ARG_CHOICE && !choice_ok(o->meta, val)) {
		char words[128];
		size_t k = 0;

		/* "json|text" -> "json or text"; "a|b|c" -> "a, b or c" */
		for (const char *m = o->meta; *m && k + 5 < sizeof words; m++) {
			if (*m != '|') {
				words[k++] = *m;
				continue;
			}
			k += (size_t)snprintf(words + k, sizeof words - k, "%s",
					      strchr(m + 1, '|') ? ", " : " or ");
		}
		words[k < sizeof words ? k : sizeof words - 1] = '\0';
		perr(p, "option '%s' must be %s, not '%s'", opt_name(o, name, sizeof name), words, val);
		return;
	}
	if (o->max > 1) {
		if (v->n >= o->max) {
			perr(p, "too many %s (max %u)", opt_name(o, name, sizeof name), o->max);
			return;
		}
		p->a->vals[v->first + v->n] = val;
	}
	v->n++;
	v->last = val;
	v->at = elem;
}

/* Build getopt_long's tables for the accepted options; -1 if the grammar
 * does not fit (a bug in the tables). */
static int build_tables(struct parse *p, struct option *lo, char *shorts)
{
	const struct cli_grammar *g = p->g;
	unsigned next = 0;
	int nl = 0, ns = 0;

	shorts[ns++] = '-';   /* positionals in order (argv is not permuted) */
	shorts[ns++] = ':';   /* a missing value is ':', not '?' */
	for (size_t i = 0; i < g->nopts && i < CLI_OPTS_MAX; i++) {
		const struct cli_opt *o = &g->opts[i];

		if (!(p->mask >> i & 1))
			continue;
		if (o->max > 1) {
			p->a->opt[i].first = (unsigned short)next;
			next += o->max;
			if (next > CLI_VALS_MAX)
				return -1;
		}
		if (o->name)
			lo[nl++] = (struct option){
				o->name,
				o->arg == CLI_ARG_NONE ? no_argument
				: o->arg == CLI_ARG_OPT ? optional_argument : required_argument,
				NULL, 256 + (int)i };
		if (o->shortname) {
			shorts[ns++] = o->shortname;
			if (o->arg != CLI_ARG_NONE)
				shorts[ns++] = ':';
			if (o->arg == CLI_ARG_OPT)
				shorts[ns++] = ':';
		}
	}
	lo[nl] = (struct option){ NULL, 0, NULL, 0 };
	shorts[ns] = '\0';
	return g->nopts > CLI_OPTS_MAX ? -1 : 0;
}

static int short_index(const struct parse *p, int c)
{
	for (size_t i = 0; i < p->g->nopts; i++)
		if ((p->mask >> i & 1) && p->g->opts[i].shortname == c)
			return (int)i;
	return CLI_NONE;
}

/* One getopt_long answer `r` for the element argv[elem]. */
static void handle(struct parse *p, int r, int li, char **argv, int elem, int *bad_elem)
{
	const char *el = argv[elem];
	char name[80];
	int i;

	if (r == 1) {
		p->a->pos[p->a->npos++] = optarg;
		return;
	}
	if (elem == *bad_elem)
		return;   /* the rest of a "-word" already reported */
	if (r == ':') {
		i = optopt >= 256 ? optopt - 256 : short_index(p, optopt);
		if (i >= 0)
			perr(p, "option '%s' requires an argument (%s)",
			     opt_name(&p->g->opts[i], name, sizeof name), p->g->opts[i].meta);
		else
			perr(p, "option '%s' requires an argument", el);
		return;
	}
	if (r == '?') {
		if (optopt >= 256) {
			perr(p, "option '%s' takes no value", opt_name(&p->g->opts[optopt - 256], name, sizeof name));
		} else if (el[0] == '-' && el[1] == '-') {
			unknown_option(p, el, el + 2, strcspn(el + 2, "="));
		} else if (el[0] == '-' && strlen(el) > 2) {
			/* -payload: a long option with one dash */
			unknown_option(p, el, el + 1, strcspn(el + 1, "="));
			*bad_elem = elem;
		} else {
			perr(p, "unknown option '-%c'", optopt);
		}
		return;
	}
	if (r >= 256) {
		const struct cli_opt *o = &p->g->opts[r - 256];
		size_t n = strlen(o->name);

		(void)li;
		/* getopt_long takes abbreviations (--pay); the grammar does not */
		if (strncmp(el + 2, o->name, n) || (el[2 + n] && el[2 + n] != '=')) {
			unknown_option(p, el, el + 2, strcspn(el + 2, "="));
			return;
		}
		store(p, r - 256, optarg, elem);
		return;
	}
	i = short_index(p, r);
	if (i < 0)
		return;
	if (el[0] == '-' && el[1] != '-' && strlen(el) > 2 && p->g->opts[i].arg == CLI_ARG_NONE) {
		/* -help: not -h followed by -e -l -p */
		unknown_option(p, el, el + 1, strcspn(el + 1, "="));
		*bad_elem = elem;
		return;
	}
	store(p, i, optarg, elem);
}

int cli_parse(const struct cli_grammar *g, int cmd, int argc, char **argv, struct cli_args *a)
{
	const struct cli_cmd *c = &g->cmds[cmd];
	struct option lo[CLI_OPTS_MAX + 1];
	char shorts[3 + 3 * CLI_OPTS_MAX + 1], words[256];
	struct parse p = { .g = g, .a = a, .err = "", .help = false };
	int bad_elem = -1, min, max;

	memset(a, 0, sizeof *a);
	a->g = g;
	a->cmd = cmd;
	a->argc = argc;
	a->argv = argv;
	p.mask = c->opts | (cli_mask)1 << g->help;
	a->pos = calloc((size_t)argc + 1, sizeof *a->pos);
	if (!a->pos)
		return cli_cmd_error(g, CLI_NONE, "out of memory");
	if (build_tables(&p, lo, shorts))
		return cli_cmd_error(g, cmd, "internal error: the option tables do not fit");
	optind = 0;   /* glibc: start over (at argv[1]) */
	opterr = 0;
	for (;;) {
		int elem = optind ? optind : 1, li = -1;
		int r = getopt_long(argc, argv, shorts, lo, &li);

		if (r == -1)
			break;
		handle(&p, r, li, argv, elem, &bad_elem);
	}
	/* Stopped before the end: at "--". */
	if (optind < argc) {
		if (c->flags & CLI_REST) {
			a->rest = argv + optind;
			a->nrest = argc - optind;
		} else {
			while (optind < argc)
				a->pos[a->npos++] = argv[optind++];
		}
	}
	if (p.help) {
		cli_help(g, cmd, OUT);
		return CLI_DONE;
	}
	if (p.err[0])
		return cli_cmd_error(g, cmd, "%s", p.err);
	pos_range(c->pos, &min, &max);
	if (a->npos < min) {
		missing_words(c->pos, a->npos, words, sizeof words);
		return cli_cmd_error(g, cmd, "missing %s", words);
	}
	if (max >= 0 && a->npos > max)
		return cli_cmd_error(g, cmd, "unexpected argument '%s'", a->pos[max]);
	return 0;
}

void cli_args_free(struct cli_args *a)
{
	free(a->pos);
	a->pos = NULL;
	a->npos = 0;
}

/* ---- dispatch -------------------------------------------------------------- */

int cli_dispatch(const struct cli_grammar *g, int argc, char **argv, struct cli_args *a)
{
	char hint[96];
	int cmd, sub, rc;

	memset(a, 0, sizeof *a);
	if (argc < 2) {
		cli_help_all(g, ERR);
		return CLI_EXIT_USAGE;
	}
	if (is_help_word(argv[1])) {
		cli_help_all(g, OUT);
		return CLI_DONE;
	}
	cmd = cli_find(g, CLI_NONE, argv[1]);
	if (cmd < 0) {
		if (argv[1][0] == '-') {
			static const char *const top[] = { "help", "version" };
			const char *s = cli_suggest(argv[1] + strspn(argv[1], "-"), top, 2);

			cli_cmd_error(g, CLI_NONE, "unknown option '%s'%s%s%s", argv[1],
				      s ? " (did you mean --" : "", s ? s : "", s ? "?)" : "");
		} else {
			suggest_cmd(g, CLI_NONE, argv[1], hint, sizeof hint);
			cli_cmd_error(g, CLI_NONE, "unknown command '%s'%s", argv[1], hint);
		}
		fprintf(ERR, "Run '%s help' for the list of commands.\n", g->prog);
		return CLI_EXIT_USAGE;
	}
	if (!g->cmds[cmd].group)
		return cli_parse(g, cmd, argc - 1, argv + 1, a);
	if (argc < 3)
		return cli_cmd_error(g, cmd, "missing subcommand");
	if (is_help_word(argv[2]) || !strcmp(argv[2], "help")) {
		/* tutti function help [SUB] */
		sub = argc > 3 && !strcmp(argv[2], "help") ? cli_find(g, cmd, argv[3]) : cmd;
		if (sub < 0) {
			suggest_cmd(g, cmd, argv[3], hint, sizeof hint);
			return cli_cmd_error(g, cmd, "unknown subcommand '%s'%s", argv[3], hint);
		}
		cli_help(g, sub, OUT);
		return CLI_DONE;
	}
	sub = cli_find(g, cmd, argv[2]);
	if (sub < 0) {
		suggest_cmd(g, cmd, argv[2], hint, sizeof hint);
		return cli_cmd_error(g, cmd, "unknown subcommand '%s'%s", argv[2], hint);
	}
	rc = cli_parse(g, sub, argc - 2, argv + 2, a);
	/* a->argv: from the command's own word ("bucket put ..."). */
	a->argc = argc - 1;
	a->argv = argv + 1;
	return rc;
}

int cli_help_topic(const struct cli_grammar *g, const struct cli_args *a)
{
	char hint[96];
	int cmd, sub;

	if (a->npos == 0) {
		cli_help_all(g, OUT);
		return CLI_EXIT_OK;
	}
	cmd = cli_find(g, CLI_NONE, a->pos[0]);
	if (cmd < 0) {
		suggest_cmd(g, CLI_NONE, a->pos[0], hint, sizeof hint);
		return cli_cmd_error(g, a->cmd, "unknown command '%s'%s", a->pos[0], hint);
	}
	sub = cmd;
	if (a->npos > 1) {
		if (!g->cmds[cmd].group)
			return cli_cmd_error(g, a->cmd, "'%s' has no subcommands", a->pos[0]);
		sub = cli_find(g, cmd, a->pos[1]);
		if (sub < 0) {
			suggest_cmd(g, cmd, a->pos[1], hint, sizeof hint);
			return cli_cmd_error(g, a->cmd, "unknown subcommand '%s %s'%s", a->pos[0],
					     a->pos[1], hint);
		}
	}
	cli_help(g, sub, OUT);
	return CLI_EXIT_OK;
}
