/* JSONata: the golden cases of tests/data/jsonata/GROUP/FILE.json (written by
 * tests/jsonata/gen/gen.mjs from the reference implementation, jsonata 2.2.2)
 * run through jsonata_compile + jsonata_eval, plus API tests (limits,
 * bindings, threads, the text output).
 *
 * A golden case:
 *   {"id", "expr", "data"?, "bindings"?, "result": V}    evaluates to V
 *   {..., "undefined": true}                              evaluates to nothing
 *   {..., "error": {"code", "position"?, "token"?, "message"}}
 *                                                         fails with that code
 *                                                         (and position, when given)
 *   "check": "type"        nondeterministic: only the JSON type of V is compared
 *            "shape"       the same structure (lengths, keys, leaf types)
 *            "pattern"     a string matching the POSIX ERE "pattern"
 *            "permutation" an array holding V's items in any order
 * "text": what JSON.stringify prints for the result when the JSON value
 * cannot say it (a lone surrogate, which "result" holds as U+FFFD).
 * "data" absent is an undefined input (not null). Numbers compare by value
 * (1 = 1.0, -0 = 0); object members in any order. Each case whose value or
 * error matched is run again through jsonata_eval_text (the JSON text path
 * `tutti eval` prints), which must print the same value or fail the same way,
 * in exactly JSON.stringify's text ("text", or the golden value printed by
 * jsonata_dumps: key order, escapes and numbers as JavaScript prints them).
 *
 * Verdicts: a case passes when it gives what the reference gives. Token and
 * message differences are counted and shown but fail only with
 * TUTTI_JSONATA_STRICT=1. tests/data/jsonata/KNOWN_GAPS lists case ids (or id
 * prefixes ending in '*') that may fail, each with its reason; the test fails
 * on any other failing case. TUTTI_JSONATA_REPORT=1 only reports (per-group
 * counts, failures) and never fails: the team's progress meter.
 * TUTTI_JSONATA_GROUPS=a,b limits the run to those groups;
 * TUTTI_JSONATA_ID=TEXT to the cases whose id contains TEXT;
 * TUTTI_JSONATA_SHOW=N shows N failures per group (default 10).
 *
 * Each group runs in a child process that reports each case on a pipe: an
 * engine crash or hang on one case is that case's failure ("crash",
 * "hang") and the group goes on with the next. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <regex.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jsonata.h"

#include "golden.h"

#define GROUPS_MAX 128
#define GAPS_MAX 20000
#define CASE_HANG_MS 20000 /* a case longer than this is a hang (the engine's own limit is 1 s) */
#define DETAIL_MAX 1536

/* ---- the data ---------------------------------------------------------- */

static char *groups[GROUPS_MAX];
static size_t ngroups;

struct gap {
	char *id;     /* an id, or a prefix when it ended in '*' */
	bool prefix;
	char *reason;
	bool used;    /* some case matched it */
	bool failed;  /* some matched case failed */
};
static struct gap gaps[GAPS_MAX];
static size_t ngaps;

static const char *data_dir(void)
{
	const char *base = getenv("TUTTI_TESTDATA");

	return base ? base : "tests/data";
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

static void load_groups(void)
{
	char dir[512], path[1024];
	const char *only = getenv("TUTTI_JSONATA_GROUPS");
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof dir, "%s/jsonata", data_dir());
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "cannot open %s: %s\n", dir, strerror(errno));
		exit(1);
	}
	while ((de = readdir(d)) && ngroups < GROUPS_MAX) {
		struct stat st;

		if (de->d_name[0] == '.' || de->d_name[0] == '_')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISDIR(st.st_mode))
			continue;
		if (only && !listed(only, de->d_name))
			continue;
		groups[ngroups++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(groups, ngroups, sizeof groups[0], by_name);
}

/* KNOWN_GAPS: one entry a line, "ID REASON..." (ID may end in '*': a
 * prefix); blank lines and '#' comments skipped. An entry without a reason
 * is refused: the list says why each gap is there. */
static void load_gaps(void)
{
	char path[1024], line[2048];
	FILE *f;
	int lineno = 0;

	snprintf(path, sizeof path, "%s/jsonata/KNOWN_GAPS", data_dir());
	f = fopen(path, "r");
	if (!f)
		return; /* no gaps listed */
	while (fgets(line, sizeof line, f)) {
		char *p = line, *id, *reason;
		size_t n;

		lineno++;
		n = strlen(line);
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
			line[--n] = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		id = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		reason = p;
		if (!*reason) {
			fprintf(stderr, "%s:%d: %s has no reason\n", path, lineno, id);
			exit(1);
		}
		if (ngaps == GAPS_MAX) {
			fprintf(stderr, "%s: more than %d entries\n", path, GAPS_MAX);
			exit(1);
		}
		n = strlen(id);
		gaps[ngaps].prefix = n > 1 && id[n - 1] == '*';
		if (gaps[ngaps].prefix)
			id[n - 1] = 0;
		gaps[ngaps].id = strdup(id);
		gaps[ngaps].reason = strdup(reason);
		ngaps++;
	}
	fclose(f);
}

static struct gap *gap_of(const char *id)
{
	size_t i;

	for (i = 0; i < ngaps; i++)
		if (gaps[i].prefix ? strncmp(id, gaps[i].id, strlen(gaps[i].id)) == 0 : strcmp(id, gaps[i].id) == 0)
			return &gaps[i];
	return NULL;
}

/* ---- comparison ---------------------------------------------------------- */

static bool same_value(const json_t *a, const json_t *b)
{
	size_t i;
	const char *k;
	json_t *v;

	if (!a || !b)
		return a == b;
	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b);
	if (json_typeof(a) != json_typeof(b))
		return false;
	switch (json_typeof(a)) {
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		       memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (i = 0; i < json_array_size(a); i++)
			if (!same_value(json_array_get(a, i), json_array_get(b, i)))
				return false;
		return true;
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return false;
		json_object_foreach((json_t *)a, k, v)
			if (!same_value(v, json_object_get(b, k)))
				return false;
		return true;
	default: /* true, false, null */
		return true;
	}
}

static int kind(const json_t *v)
{
	if (!v)
		return -1;
	if (json_is_number(v))
		return JSON_REAL;
	if (json_is_boolean(v))
		return JSON_TRUE;
	return (int)json_typeof(v);
}

static bool same_shape(const json_t *a, const json_t *b)
{
	size_t i;
	const char *k;
	json_t *v;

	if (kind(a) != kind(b))
		return false;
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (i = 0; i < json_array_size(a); i++)
			if (!same_shape(json_array_get(a, i), json_array_get(b, i)))
				return false;
	} else if (json_is_object(a)) {
		if (json_object_size(a) != json_object_size(b))
			return false;
		json_object_foreach((json_t *)a, k, v)
			if (!same_shape(v, json_object_get(b, k)))
				return false;
	}
	return true;
}

static bool same_items(const json_t *want, const json_t *got)
{
	size_t n, i, j;
	bool *taken, ok = true;

	if (!json_is_array(want) || !json_is_array(got) || json_array_size(want) != json_array_size(got))
		return false;
	n = json_array_size(want);
	taken = calloc(n ? n : 1, sizeof *taken);
	for (i = 0; i < n && ok; i++) {
		ok = false;
		for (j = 0; j < n; j++)
			if (!taken[j] && same_value(json_array_get(want, i), json_array_get(got, j))) {
				taken[j] = ok = true;
				break;
			}
	}
	free(taken);
	return ok;
}

static bool matches(const char *pattern, const json_t *got)
{
	regex_t re;
	bool ok;

	if (!json_is_string(got) || regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
		return false;
	ok = regexec(&re, json_string_value(got), 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* ---- one case ------------------------------------------------------------ */

enum verdict { V_PASS, V_SOFT, V_FAIL }; /* V_SOFT: right code, other token/message */

static void shorten(char *s, size_t max)
{
	if (strlen(s) > max)
		strcpy(s + max - 3, "...");
}

/* Runs case C; a one-line detail of what differs in DETAIL. */
static enum verdict run_case(const json_t *c, char *detail, size_t dsz)
{
	const char *expr = json_string_value(json_object_get(c, "expr"));
	const json_t *data = json_object_get(c, "data"), *bindings = json_object_get(c, "bindings");
	const json_t *want = json_object_get(c, "result"), *werr = json_object_get(c, "error");
	const char *check = json_string_value(json_object_get(c, "check"));
	const char *want_text = json_string_value(json_object_get(c, "text"));
	struct jsonata_error err;
	struct jsonata *x = NULL;
	json_t *got = NULL;
	enum verdict v = V_FAIL;
	char *ws = NULL, *gs = NULL;
	int rc;

	detail[0] = 0;
	if (!expr) {
		snprintf(detail, dsz, "the case has no \"expr\"");
		return V_FAIL;
	}
	memset(&err, 0, sizeof err);
	rc = jsonata_compile(expr, strlen(expr), &x, &err);
	if (rc == 0) {
		memset(&err, 0, sizeof err);
		rc = jsonata_eval(x, data, bindings, NULL, &got, &err);
	}
	if (werr) {
		const char *code = json_string_value(json_object_get(werr, "code"));
		const json_t *pos = json_object_get(werr, "position");
		const char *token = json_string_value(json_object_get(werr, "token"));
		const char *msg = json_string_value(json_object_get(werr, "message"));

		if (rc == 0) {
			gs = golden_show(got);
			snprintf(detail, dsz, "want error %s, got %s", code, gs);
		} else if (!code || strcmp(code, err.code) != 0) {
			snprintf(detail, dsz, "want error %s, got %s at %ld: %s", code, err.code, err.position, err.message);
		} else if (pos && json_integer_value(pos) != err.position) {
			snprintf(detail, dsz, "error %s: want position %lld, got %ld", code, json_integer_value(pos),
				 err.position);
		} else if (token && strcmp(token, err.token) != 0) {
			snprintf(detail, dsz, "error %s: want token \"%s\", got \"%s\"", code, token, err.token);
			v = V_SOFT;
		} else if (msg && strcmp(msg, err.message) != 0) {
			snprintf(detail, dsz, "error %s: want message \"%s\", got \"%s\"", code, msg, err.message);
			v = V_SOFT;
		} else
			v = V_PASS;
		goto out;
	}
	if (rc != 0) {
		snprintf(detail, dsz, "got error %s at %ld: %s", err.code, err.position, err.message);
		goto out;
	}
	if (json_is_true(json_object_get(c, "undefined"))) {
		v = got ? V_FAIL : V_PASS;
	} else if (!check) {
		v = same_value(want, got) ? V_PASS : V_FAIL;
	} else if (strcmp(check, "type") == 0) {
		v = kind(want) == kind(got) ? V_PASS : V_FAIL;
	} else if (strcmp(check, "shape") == 0) {
		v = same_shape(want, got) ? V_PASS : V_FAIL;
	} else if (strcmp(check, "permutation") == 0) {
		v = same_items(want, got) ? V_PASS : V_FAIL;
	} else if (strcmp(check, "pattern") == 0) {
		const char *pat = json_string_value(json_object_get(c, "pattern"));

		v = pat && matches(pat, got) ? V_PASS : V_FAIL;
	} else {
		snprintf(detail, dsz, "unknown check \"%s\"", check);
		goto out;
	}
	if (v == V_FAIL) {
		ws = golden_show(json_is_true(json_object_get(c, "undefined")) ? NULL : want);
		gs = golden_show(got);
		snprintf(detail, dsz, "want %s%s%s, got %s", check ? check : "", check ? " of " : "", ws, gs);
	}
out:
	/* the text path (jsonata_eval_text, what `tutti eval` prints) gives
	 * what jsonata_eval gave: the same value, or the same error */
	if (v != V_FAIL && x && !check) {
		struct jsonata_error terr;
		char *text = NULL;
		int trc;

		memset(&terr, 0, sizeof terr);
		trc = jsonata_eval_text(x, NULL, data, bindings, NULL, &text, &terr);
		if (trc != rc) {
			snprintf(detail, dsz, "jsonata_eval_text: rc %d (%s), jsonata_eval: rc %d", trc, terr.code, rc);
			v = V_FAIL;
		} else if (rc != 0 && strcmp(terr.code, err.code) != 0) {
			snprintf(detail, dsz, "jsonata_eval_text: error %s, jsonata_eval: %s", terr.code, err.code);
			v = V_FAIL;
		} else if (rc == 0 && (!text) != (!got)) {
			snprintf(detail, dsz, "jsonata_eval_text: %s, jsonata_eval: %s", text ? text : "undefined",
				 got ? "a value" : "undefined");
			v = V_FAIL;
		} else if (rc == 0 && text && want_text) {
			/* a lone surrogate: jansson cannot read the text back */
			if (strcmp(want_text, text) != 0) {
				snprintf(detail, dsz, "jsonata_eval_text printed %.300s, JSON.stringify prints %.300s", text,
					 want_text);
				v = V_FAIL;
			}
		} else if (rc == 0 && text) {
			json_error_t je;
			json_t *back = json_loads(text, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &je);

			if (!back || !same_value(back, got)) {
				snprintf(detail, dsz, "jsonata_eval_text printed %.300s%s%s", text, back ? "" : ": not JSON: ",
					 back ? "" : je.text);
				v = V_FAIL;
			} else if (want) {
				/* the exact text: JSON.stringify's (key order, escapes,
				 * numbers), printed from the golden value (written in
				 * JavaScript's key order) */
				char *exp = jsonata_dumps(want);

				if (exp && strcmp(exp, text) != 0) {
					snprintf(detail, dsz, "jsonata_eval_text printed %.300s, JSON.stringify prints %.300s", text,
						 exp);
					v = V_FAIL;
				}
				free(exp);
			}
			json_decref(back);
		}
		free(text);
	}
	free(ws);
	free(gs);
	json_decref(got);
	jsonata_free(x);
	shorten(detail, dsz);
	return v;
}

/* ---- a group, crash-proof ------------------------------------------------ */

struct tally {
	size_t total, pass, soft, gap_fail, fail;
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The child: runs cases [from, n) and writes "S i\n" before each and
 * "R i V detail\n" after it. */
static void child_run(json_t *cases, size_t from, int fd)
{
	FILE *w = fdopen(fd, "w");
	char detail[DETAIL_MAX];
	size_t i;

	for (i = from; i < json_array_size(cases); i++) {
		enum verdict v;

		fprintf(w, "S %zu\n", i);
		fflush(w);
		v = run_case(json_array_get(cases, i), detail, sizeof detail);
		for (char *p = detail; *p; p++)
			if (*p == '\n')
				*p = ' ';
		fprintf(w, "R %zu %d %s\n", i, (int)v, detail);
	}
	fflush(w);
	_exit(0);
}

static const char *case_id(const json_t *c)
{
	const char *id = json_string_value(json_object_get(c, "id"));

	return id ? id : json_string_value(json_object_get(c, "_where"));
}

static void show(const json_t *c, const char *what, const char *detail)
{
	char *data = golden_show(json_object_get(c, "data"));

	shorten(data, 200);
	printf("    %s %s\n      expr: %s\n      data: %s\n      %s\n", what, case_id(c),
	       json_string_value(json_object_get(c, "expr")), data, detail);
	free(data);
}

static void record(json_t *c, enum verdict v, const char *detail, struct tally *t, size_t *shown, size_t show_max)
{
	const char *id = case_id(c);
	struct gap *g = id ? gap_of(id) : NULL;
	bool strict = getenv("TUTTI_JSONATA_STRICT") != NULL;

	if (g)
		g->used = true;
	if (v == V_PASS) {
		t->pass++;
		return;
	}
	if (v == V_SOFT && !strict) {
		t->pass++;
		t->soft++;
		if (*shown < show_max && getenv("TUTTI_JSONATA_SHOW_SOFT")) {
			show(c, "differs:", detail);
			(*shown)++;
		}
		return;
	}
	if (g) {
		g->failed = true;
		t->gap_fail++;
		return;
	}
	t->fail++;
	if (*shown < show_max) {
		show(c, "FAIL", detail);
		(*shown)++;
	}
}

static void run_group(const char *group, struct tally *t)
{
	char sub[600];
	const char *id_filter = getenv("TUTTI_JSONATA_ID"), *sm = getenv("TUTTI_JSONATA_SHOW");
	size_t show_max = sm ? strtoul(sm, NULL, 10) : 10, shown = 0, from = 0, n;
	json_t *all, *cases;
	size_t i;

	snprintf(sub, sizeof sub, "jsonata/%s", group);
	all = golden_load(sub, "id");
	cases = json_array();
	for (i = 0; i < json_array_size(all); i++) {
		json_t *c = json_array_get(all, i);
		const char *id = case_id(c);

		if (!id_filter || (id && strstr(id, id_filter)))
			json_array_append(cases, c);
	}
	json_decref(all);
	n = json_array_size(cases);
	memset(t, 0, sizeof *t);
	t->total = n;
	while (from < n) {
		int pfd[2];
		pid_t pid;
		FILE *r;
		char line[DETAIL_MAX + 64];
		long started = 0, last = -1;
		bool done_one = false;

		if (pipe(pfd)) {
			perror("pipe");
			exit(1);
		}
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0) {
			close(pfd[0]);
			child_run(cases, from, pfd[1]);
		}
		close(pfd[1]);
		r = fdopen(pfd[0], "r");
		for (;;) {
			struct pollfd p = { .fd = pfd[0], .events = POLLIN };
			int pr = poll(&p, 1, 1000);

			if (pr == 0) {
				if (last >= 0 && now_ms() - started > CASE_HANG_MS) {
					kill(pid, SIGKILL);
					break;
				}
				continue;
			}
			if (!fgets(line, sizeof line, r))
				break;
			if (line[0] == 'S') {
				last = strtol(line + 2, NULL, 10);
				started = now_ms();
			} else if (line[0] == 'R') {
				char *e;
				size_t idx = strtoul(line + 2, &e, 10);
				int v = (int)strtol(e, &e, 10);

				if (*e == ' ')
					e++;
				e[strcspn(e, "\n")] = 0;
				record(json_array_get(cases, idx), (enum verdict)v, e, t, &shown, show_max);
				last = -1;
				from = idx + 1;
				done_one = true;
			}
		}
		fclose(r);
		{
			int st = 0;

			waitpid(pid, &st, 0);
			if (last >= 0) { /* the child died (or hung) inside case `last` */
				char detail[128];

				if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
					snprintf(detail, sizeof detail, "hang: no answer in %d ms", CASE_HANG_MS);
				else if (WIFSIGNALED(st))
					snprintf(detail, sizeof detail, "crash: signal %d (%s)", WTERMSIG(st),
						 strsignal(WTERMSIG(st)));
				else
					snprintf(detail, sizeof detail, "crash: exit %d", WEXITSTATUS(st));
				record(json_array_get(cases, (size_t)last), V_FAIL, detail, t, &shown, show_max);
				from = (size_t)last + 1;
			} else if (!done_one && from < n) {
				fprintf(stderr, "jsonata: %s: the runner's child ended before case %zu\n", group, from);
				exit(1);
			}
		}
	}
	json_decref(cases);
}

START_TEST(test_golden)
{
	struct tally all = { 0 }, t;
	bool report = getenv("TUTTI_JSONATA_REPORT") != NULL;
	size_t i, stale = 0;

	ck_assert_msg(ngroups > 0, "no golden groups under %s/jsonata", data_dir());
	for (i = 0; i < ngroups; i++) {
		run_group(groups[i], &t);
		printf("jsonata: %-22s %5zu/%-5zu passed (%.1f%%)%s", groups[i], t.pass, t.total,
		       t.total ? 100.0 * (double)t.pass / (double)t.total : 100.0, t.fail ? "" : "\n");
		if (t.fail)
			printf(", %zu failing\n", t.fail);
		if (t.gap_fail || t.soft)
			printf("jsonata: %-22s       %zu known gaps failing, %zu token/message differences\n", "",
			       t.gap_fail, t.soft);
		all.total += t.total;
		all.pass += t.pass;
		all.soft += t.soft;
		all.gap_fail += t.gap_fail;
		all.fail += t.fail;
		fflush(stdout);
	}
	printf("jsonata: %-22s %5zu/%-5zu passed (%.1f%%), %zu known gaps failing, %zu failing not listed\n", "TOTAL",
	       all.pass, all.total, all.total ? 100.0 * (double)all.pass / (double)all.total : 100.0, all.gap_fail,
	       all.fail);
	if (!getenv("TUTTI_JSONATA_GROUPS") && !getenv("TUTTI_JSONATA_ID")) {
		for (i = 0; i < ngaps; i++) {
			if (!gaps[i].used) {
				printf("jsonata: KNOWN_GAPS: %s%s matches no case\n", gaps[i].id, gaps[i].prefix ? "*" : "");
				stale++;
			} else if (!gaps[i].failed && !gaps[i].prefix) {
				printf("jsonata: KNOWN_GAPS: %s passes now: take it off the list\n", gaps[i].id);
			}
		}
	}
	fflush(stdout);
	if (report)
		return;
	ck_assert_msg(stale == 0, "%zu KNOWN_GAPS entries match no case", stale);
	ck_assert_msg(all.fail == 0, "%zu of %zu JSONata golden cases fail and are not in KNOWN_GAPS", all.fail,
		      all.total);
}
END_TEST

/* ---- API tests: what the goldens cannot say ------------------------------ */

static json_t *eval_ok(const char *expr, const json_t *input, const json_t *bindings)
{
	struct jsonata_error err;
	struct jsonata *x = NULL;
	json_t *out = NULL;

	memset(&err, 0, sizeof err);
	ck_assert_msg(jsonata_compile(expr, strlen(expr), &x, &err) == 0, "%s: %s %s", expr, err.code, err.message);
	ck_assert_msg(jsonata_eval(x, input, bindings, NULL, &out, &err) == 0, "%s: %s %s", expr, err.code,
		      err.message);
	jsonata_free(x);
	return out;
}

/* Evaluates EXPR under LIM; returns the error code ("" when it succeeded)
 * in CODE, and the wall time in ms. */
static long eval_err(const char *expr, const struct jsonata_limits *lim, char code[8])
{
	struct jsonata_error err;
	struct jsonata *x = NULL;
	json_t *out = NULL;
	long t0;

	memset(&err, 0, sizeof err);
	code[0] = 0;
	if (jsonata_compile(expr, strlen(expr), &x, &err)) {
		snprintf(code, 8, "%s", err.code);
		return 0;
	}
	t0 = now_ms();
	if (jsonata_eval(x, NULL, NULL, lim, &out, &err))
		snprintf(code, 8, "%s", err.code);
	t0 = now_ms() - t0;
	json_decref(out);
	jsonata_free(x);
	return t0;
}

START_TEST(test_input_undefined_null)
{
	json_t *v;

	ck_assert_ptr_null(eval_ok("$", NULL, NULL));
	v = eval_ok("$", json_null(), NULL);
	ck_assert(json_is_null(v));
	json_decref(v);
	v = eval_ok("$exists($)", NULL, NULL);
	ck_assert(json_is_false(v));
	json_decref(v);
	v = eval_ok("$type($)", json_null(), NULL);
	ck_assert_str_eq(json_string_value(v), "null");
	json_decref(v);
}
END_TEST

START_TEST(test_bindings)
{
	json_t *b = json_pack("{s:i, s:{s:{s:[i,i]}}, s:n}", "x", 5, "states", "input", "items", 1, 2, "nothing");
	json_t *in = json_pack("{s:i}", "x", 100);
	json_t *v = eval_ok("$x * 2 + x + $sum($states.input.items)", in, b);

	ck_assert(json_is_number(v));
	ck_assert(json_number_value(v) == 113);
	json_decref(v);
	v = eval_ok("$nothing = null", in, b);
	ck_assert(json_is_true(v));
	json_decref(v);
	/* a binding does not outlive its evaluation */
	ck_assert_ptr_null(eval_ok("$x", in, NULL));
	json_decref(b);
	json_decref(in);
}
END_TEST

/* Deep recursion that is not a tail call ends with D1011 (as jsonata 2.2.2
 * with its `stack` option), never with a C stack overflow. */
START_TEST(test_depth_limit)
{
	char code[8];

	eval_err("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000000))", NULL, code);
	ck_assert_str_eq(code, "D1011");
	/* a lower limit set by the caller */
	{
		struct jsonata_limits lim = { .depth_max = 50 };

		eval_err("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100))", &lim, code);
		ck_assert_str_eq(code, "D1011");
		eval_err("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(20))", &lim, code);
		ck_assert_str_eq(code, "");
	}
	/* the default 500: 490 nested calls end well, 510 do not; quickly */
	{
		long ms = eval_err("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(490))", NULL, code);
		ck_assert_str_eq(code, "");
		ms = eval_err("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(510))", NULL, code);
		ck_assert_str_eq(code, "D1011");
		ck_assert_msg(ms < 1000, "D1011 after %ld ms", ms);
		/* mutual recursion counts too, and a recursion through a HOF */
		eval_err("($a := function($n){ 1 + $b($n) }; $b := function($n){ 1 + $a($n) }; $a(0))", NULL, code);
		ck_assert_str_eq(code, "D1011");
		eval_err("($f := function($n){ $map([$n], function($v){ 1 + $f($v) }) }; $f(0))", NULL, code);
		ck_assert_str_eq(code, "D1011");
	}
}
END_TEST

/* Tail calls do not grow the depth: 200,000 of them end well. */
START_TEST(test_tail_calls)
{
	json_t *v = eval_ok("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(200000, 0))",
			    NULL, NULL);

	ck_assert(json_is_number(v) && json_number_value(v) == 200000);
	json_decref(v);
	v = eval_ok("($even := function($n){ $n = 0 ? true : $odd($n - 1) }; "
		    "$odd := function($n){ $n = 0 ? false : $even($n - 1) }; $even(100001))",
		    NULL, NULL);
	ck_assert(json_is_false(v));
	json_decref(v);
}
END_TEST

/* An endless loop ends with D1012 near the time limit. */
START_TEST(test_time_limit)
{
	struct jsonata_limits lim = { .time_ms = 200 };
	char code[8];
	long ms;

	/* an endless tail loop: the time limit ends it, or the memory cap if
	 * each iteration keeps memory (both bounded, both documented codes) */
	ms = eval_err("($f := function($n){ $f($n + 1) }; $f(0))", &lim, code);
	ck_assert_msg(strcmp(code, "D1012") == 0 || strcmp(code, "U1002") == 0, "got \"%s\"", code);
	ck_assert_msg(ms < 2000, "%s after %ld ms for a 200 ms limit", code, ms);
	/* a loop that allocates nothing that lives on: the time limit */
	ms = eval_err("($f := function(){ $f() }; $f())", &lim, code);
	ck_assert_msg(strcmp(code, "D1012") == 0 || strcmp(code, "U1002") == 0, "got \"%s\"", code);
	ck_assert_msg(ms < 2000, "%s after %ld ms for a 200 ms limit", code, ms);
	ms = eval_err("$count([1..1e7].($ * 2)[$ % 3 = 0].$string($))", &lim, code);
	ck_assert_msg(strcmp(code, "D1012") == 0 || strcmp(code, "U1002") == 0, "got \"%s\"", code);
	ck_assert_msg(ms < 2000, "%s after %ld ms for a 200 ms limit", code, ms);
	/* the default limit (1 s) holds with no limits given */
	ms = eval_err("($f := function(){ $f() }; $f())", NULL, code);
	ck_assert_msg(strcmp(code, "D1012") == 0 || strcmp(code, "U1002") == 0, "got \"%s\"", code);
	ck_assert_msg(ms < 5000, "%s after %ld ms for the default 1 s", code, ms);
	/* long in time, small in memory: a regex whose every match scans the
	 * rest of the text (a lookahead that fails at its end) is quadratic in
	 * steps, each of PCRE2's calls far under its match limit, and keeps
	 * only the growing result. Under a 16 MiB cap only the time limit can
	 * end it: D1012, near 200 ms. */
	{
		static const char slow[] = "$length($replace($pad(\"\", 200000, \"a\"), /a(?=a*b)|a/, \"x\"))";
		struct jsonata_limits small = { .time_ms = 200, .memory_max = 16u << 20 };
		struct jsonata_limits none = { .time_ms = -1, .memory_max = 16u << 20 };

		ms = eval_err(slow, &small, code);
		ck_assert_msg(strcmp(code, "D1012") == 0, "got \"%s\" after %ld ms", code, ms);
		ck_assert_msg(ms >= 190 && ms < 1500, "D1012 after %ld ms for a 200 ms limit", ms);
		/* the same kind of loop, shorter, ends well without a time limit:
		 * it is the clock that ended the one above, not a regex limit */
		ms = eval_err("$length($replace($pad(\"\", 20000, \"a\"), /a(?=a*b)|a/, \"x\"))", &none, code);
		ck_assert_msg(code[0] == 0, "20,000 scans: %s", code);
	}
	/* a long loop within the limits ends well */
	{
		struct jsonata_limits big = { .time_ms = 20000 };

		eval_err("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(300000, 0))", &big, code);
		ck_assert_msg(code[0] == 0, "300,000 tail calls: %s", code);
	}
}
END_TEST

/* The arena's cap: a big allocation ends with U1002, not an OOM. */
START_TEST(test_memory_cap)
{
	struct jsonata_limits lim = { .memory_max = 1u << 20, .time_ms = -1 };
	char code[8];

	eval_err("$count([1..1000000].{\"k\": $string($)})", &lim, code);
	ck_assert_str_eq(code, "U1002");
	eval_err("$count([1..1000])", &lim, code);
	ck_assert_str_eq(code, "");
}
END_TEST

/* Results as JSON text, as JSON.stringify prints them. */
START_TEST(test_eval_text)
{
	static const char *const t[][2] = {
		{ "0.1 + 0.2", "0.30000000000000004" },
		{ "1e21", "1e+21" },
		{ "1e-7", "1e-7" },
		{ "-0", "0" },
		{ "123456789012345680000", "123456789012345680000" },
		{ "[1, \"a\\\"b\", null, true, {\"k\": [1.5]}]", "[1,\"a\\\"b\",null,true,{\"k\":[1.5]}]" },
		{ "\"😀\"", "\"😀\"" },
		{ "{\"b\": 1, \"a\": 2}", "{\"b\":1,\"a\":2}" },
		{ "100", "100" },
		{ "0.000001", "0.000001" },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct jsonata_error err;
		struct jsonata *x = NULL;
		char *out = NULL;

		ck_assert_msg(jsonata_compile(t[i][0], strlen(t[i][0]), &x, &err) == 0, "%s: %s", t[i][0], err.message);
		ck_assert_msg(jsonata_eval_text(x, NULL, NULL, NULL, NULL, &out, &err) == 0, "%s: %s", t[i][0],
			      err.message);
		ck_assert_msg(out && strcmp(out, t[i][1]) == 0, "%s: want %s, got %s", t[i][0], t[i][1],
			      out ? out : "(undefined)");
		free(out);
		jsonata_free(x);
	}
	{
		struct jsonata_error err;
		struct jsonata *x = NULL;
		char *out = (char *)"x";

		ck_assert_int_eq(jsonata_compile("nothing", 7, &x, &err), 0);
		ck_assert_int_eq(jsonata_eval_text(x, NULL, NULL, NULL, NULL, &out, &err), 0);
		ck_assert_ptr_null(out);
		jsonata_free(x);
	}
}
END_TEST

/* Hostile texts: nesting deeper than any C stack, an expression over the cap. */
START_TEST(test_hostile_text)
{
	size_t depth = 200000, i;
	char *s = malloc(2 * depth + 2);
	struct jsonata_error err;
	struct jsonata *x = NULL;

	for (i = 0; i < depth; i++)
		s[i] = '(', s[depth + 1 + i] = ')';
	s[depth] = '1';
	s[2 * depth + 1] = 0;
	/* compiles or refuses with an error, but returns */
	if (jsonata_compile(s, strlen(s), &x, &err) == 0) {
		json_t *out = NULL;

		if (jsonata_eval(x, NULL, NULL, NULL, &out, &err) == 0)
			ck_assert(json_number_value(out) == 1);
		json_decref(out);
		jsonata_free(x);
	} else
		ck_assert(err.code[0] == 'S' || err.code[0] == 'D' || err.code[0] == 'U');
	free(s);
	s = malloc(JSONATA_EXPR_MAX + 2);
	memset(s, ' ', JSONATA_EXPR_MAX + 1);
	s[0] = '1';
	s[JSONATA_EXPR_MAX + 1] = 0;
	x = NULL;
	ck_assert_int_eq(jsonata_compile(s, JSONATA_EXPR_MAX + 1, &x, &err), -1);
	ck_assert_ptr_null(x);
	free(s);
}
END_TEST

/* An input nested 100,000 deep: navigated, counted, returned, without
 * recursing on the C stack beyond its means. */
START_TEST(test_deep_input)
{
	json_t *in = json_array(), *cur = in, *v;
	int i;

	for (i = 0; i < 100000; i++) {
		json_t *next = json_array();

		json_array_append_new(cur, next);
		cur = next;
	}
	json_array_append_new(cur, json_integer(7));
	v = eval_ok("$count($)", in, NULL);
	ck_assert(json_number_value(v) == 1);
	json_decref(v);
	{
		struct jsonata_error err;
		struct jsonata *x = NULL;
		json_t *out = NULL;
		int rc;

		ck_assert_int_eq(jsonata_compile("$string($)", 10, &x, &err), 0);
		rc = jsonata_eval(x, in, NULL, NULL, &out, &err);
		/* either the string, or a bounded error */
		ck_assert(rc == 0 ? json_is_string(out) : err.code[0] != 0);
		json_decref(out);
		jsonata_free(x);
	}
	json_decref(in);
}
END_TEST

/* One compiled expression, four threads, each its own input. */
struct thr {
	const struct jsonata *x;
	int base, bad;
};

static void *thr_main(void *arg)
{
	struct thr *t = arg;
	int i;

	for (i = 0; i < 2000; i++) {
		struct jsonata_error err;
		json_t *in = json_pack("{s:[i,i,i]}", "items", t->base + i, 1, 2), *out = NULL;

		if (jsonata_eval(t->x, in, NULL, NULL, &out, &err) || !json_is_string(out) ||
		    atoi(json_string_value(out)) != t->base + i + 3)
			t->bad++;
		json_decref(out);
		json_decref(in);
	}
	return NULL;
}

START_TEST(test_threads)
{
	static const char expr[] = "$string($sum(items.($ * 1)))";
	struct jsonata_error err;
	struct jsonata *x = NULL;
	pthread_t th[4];
	struct thr t[4];
	int i;

	ck_assert_int_eq(jsonata_compile(expr, strlen(expr), &x, &err), 0);
	for (i = 0; i < 4; i++) {
		t[i] = (struct thr){ .x = x, .base = i * 100000 };
		pthread_create(&th[i], NULL, thr_main, &t[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		ck_assert_int_eq(t[i].bad, 0);
	}
	jsonata_free(x);
}
END_TEST

/* Extension functions and a forbidden builtin (what the Step Functions
 * engine does with $eval). */
static int ext_twice(void *ud, json_t *const *args, int nargs, json_t **out, struct jsonata_error *err)
{
	(void)ud;
	(void)err;
	*out = nargs == 1 && args[0] ? json_real(2 * json_number_value(args[0])) : NULL;
	return 0;
}

static int ext_fail(void *ud, json_t *const *args, int nargs, json_t **out, struct jsonata_error *err)
{
	(void)ud;
	(void)args;
	(void)nargs;
	*out = NULL;
	snprintf(err->code, sizeof err->code, "X0001");
	snprintf(err->message, sizeof err->message, "no");
	return -1;
}

START_TEST(test_env)
{
	struct jsonata_env *env = jsonata_env_new();
	struct jsonata_error err;
	struct jsonata *x = NULL;
	json_t *out = NULL;

	ck_assert_ptr_nonnull(env);
	ck_assert_int_eq(jsonata_env_add(env, "twice", "<n:n>", ext_twice, NULL), 0);
	ck_assert_int_eq(jsonata_env_add(env, "fail", NULL, ext_fail, NULL), 0);
	ck_assert_int_eq(jsonata_env_forbid(env, "eval", "X0002", "$eval is not allowed"), 0);
	ck_assert_int_eq(jsonata_compile("$twice(21)", 10, &x, &err), 0);
	ck_assert_int_eq(jsonata_eval_env(x, env, NULL, NULL, NULL, &out, &err), 0);
	ck_assert(json_number_value(out) == 42);
	json_decref(out);
	out = NULL;
	/* the signature is checked before the function runs */
	jsonata_free(x);
	ck_assert_int_eq(jsonata_compile("$twice(\"a\")", 11, &x, &err), 0);
	ck_assert_int_eq(jsonata_eval_env(x, env, NULL, NULL, NULL, &out, &err), -1);
	ck_assert_str_eq(err.code, "T0410");
	jsonata_free(x);
	ck_assert_int_eq(jsonata_compile("1 + $fail()", 11, &x, &err), 0);
	ck_assert_int_eq(jsonata_eval_env(x, env, NULL, NULL, NULL, &out, &err), -1);
	ck_assert_str_eq(err.code, "X0001");
	ck_assert_str_eq(err.message, "no");
	jsonata_free(x);
	ck_assert_int_eq(jsonata_compile("$eval(\"1\")", 10, &x, &err), 0);
	ck_assert_int_eq(jsonata_eval_env(x, env, NULL, NULL, NULL, &out, &err), -1);
	ck_assert_str_eq(err.code, "X0002");
	/* without the environment, $eval and the builtins are as JSONata has them */
	ck_assert_int_eq(jsonata_eval(x, NULL, NULL, NULL, &out, &err), 0);
	ck_assert(json_number_value(out) == 1);
	json_decref(out);
	jsonata_free(x);
	jsonata_env_free(env);
}
END_TEST

static void api_add_tests(TCase *tc)
{
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_input_undefined_null);
	tcase_add_test(tc, test_bindings);
	tcase_add_test(tc, test_depth_limit);
	tcase_add_test(tc, test_tail_calls);
	tcase_add_test(tc, test_time_limit);
	tcase_add_test(tc, test_memory_cap);
	tcase_add_test(tc, test_eval_text);
	tcase_add_test(tc, test_hostile_text);
	tcase_add_test(tc, test_deep_input);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_env);
}

int main(void)
{
	Suite *s = suite_create("jsonata");
	TCase *golden = tcase_create("golden"), *api = tcase_create("api");
	SRunner *sr;
	int failed;

	setvbuf(stdout, NULL, _IOLBF, 0);
	load_groups();
	load_gaps();
	tcase_set_timeout(golden, 1800);
	tcase_add_test(golden, test_golden);
	api_add_tests(api);
	suite_add_tcase(s, golden);
	suite_add_tcase(s, api);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
