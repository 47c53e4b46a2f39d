/* exec_mock — Step Functions Local's MockConfigFile (engine_mock.h): the
 * file checked once into a table of responses, and the integration that
 * answers mocked Task states. The invocation count of a state lives in its
 * execution (exec.mock_counts, touched on the loop thread only). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_mock.h"
#include "exec_internal.h"
#include "fsutil.h"

#define MOCK_ERROR_MAX 256
#define MOCK_CAUSE_MAX 32768

struct mentry {
	uint32_t lo, hi;             /* inclusive */
	json_t *ret;                 /* Return (borrowed from the doc), or */
	const char *error, *cause;   /* Throw */
};

struct mresp {
	size_t n;
	struct mentry *e;            /* sorted by lo, not overlapping */
};

struct engine_mock {
	json_t *doc;
	json_t *machines;            /* doc's StateMachines (borrowed) */
	json_t *index;               /* response name -> index into resps */
	struct mresp *resps;
	size_t nresps;
};

/* ---- checking the file ------------------------------------------------------ */

static bool ident(const char *k)
{
	if (!*k || (*k >= '0' && *k <= '9'))
		return false;
	for (; *k; k++)
		if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
			return false;
	return true;
}

/* path + one key, as the validator spells paths */
static void push(char *path, size_t cap, const char *key)
{
	size_t at = strlen(path);

	if (ident(key))
		snprintf(path + at, cap - at, ".%.100s", key);
	else
		snprintf(path + at, cap - at, "['%.100s']", key);
}

#define BAD(...) do { err_setn(e, "ValidationException", __VA_ARGS__); goto fail; } while (0)

static bool parse_number(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;

	if (!n || n > 7)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > ENGINE_MOCK_INVOCATION_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct mentry *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int parse_response(struct mresp *r, json_t *v, char *path, size_t cap, struct err *e)
{
	size_t at = strlen(path), i = 0;
	const char *k;
	json_t *x;

	if (!json_is_object(v) || !json_object_size(v))
		BAD("%s: must be an object of invocation numbers (\"0\", \"1-2\") to {\"Return\": ...} or {\"Throw\": ...}", path);
	if (json_object_size(v) > ENGINE_MOCK_ENTRIES_MAX)
		BAD("%s: more than %d entries", path, ENGINE_MOCK_ENTRIES_MAX);
	r->e = calloc(json_object_size(v), sizeof *r->e);
	if (!r->e)
		BAD("out of memory");
	json_object_foreach(v, k, x) {
		struct mentry *en = &r->e[i];
		const char *dash = strchr(k, '-');
		json_t *ret, *thr;

		push(path, cap, k);
		if (dash ? !(parse_number(k, (size_t)(dash - k), &en->lo) &&
			     parse_number(dash + 1, strlen(dash + 1), &en->hi))
			 : !parse_number(k, strlen(k), &en->lo))
			BAD("%s: an invocation number (\"0\") or an inclusive range (\"1-2\"), 0 to %d",
			    path, ENGINE_MOCK_INVOCATION_MAX);
		if (!dash)
			en->hi = en->lo;
		if (en->hi < en->lo)
			BAD("%s: the range ends before it starts", path);
		if (!json_is_object(x))
			BAD("%s: must be an object with one field, Return or Throw", path);
		ret = json_object_get(x, "Return");
		thr = json_object_get(x, "Throw");
		if (json_object_size(x) != 1 || (!ret && !thr))
			BAD("%s: must have exactly one field, Return or Throw", path);
		if (ret) {
			en->ret = ret;
		} else {
			json_t *er = json_object_get(thr, "Error"), *ca = json_object_get(thr, "Cause");
			const char *f;
			json_t *y;

			push(path, cap, "Throw");
			if (!json_is_object(thr))
				BAD("%s: must be an object {\"Error\": ..., \"Cause\": ...}", path);
			json_object_foreach(thr, f, y)
				if (strcmp(f, "Error") && strcmp(f, "Cause"))
					BAD("%s: unknown field '%.100s' (Error, Cause)", path, f);
			if (!json_is_string(er) || !json_string_length(er) ||
			    json_string_length(er) > MOCK_ERROR_MAX)
				BAD("%s.Error: must be a string of 1-%d characters", path, MOCK_ERROR_MAX);
			if (ca && (!json_is_string(ca) || json_string_length(ca) > MOCK_CAUSE_MAX))
				BAD("%s.Cause: must be a string of at most %d characters", path, MOCK_CAUSE_MAX);
			en->error = json_string_value(er);
			en->cause = ca ? json_string_value(ca) : "";
		}
		path[at] = '\0';
		i++;
	}
	r->n = i;
	qsort(r->e, r->n, sizeof *r->e, cmp_entry);
	for (i = 1; i < r->n; i++)
		if (r->e[i].lo <= r->e[i - 1].hi)
			BAD("%s: invocation %u has two entries", path, r->e[i].lo);
	return 0;
fail:
	return -1;
}

int engine_mock_parse(const char *text, size_t len, struct engine_mock **out, struct err *e)
{
	struct engine_mock *m = calloc(1, sizeof *m);
	json_t *resps, *v, *tcs, *tc, *st;
	json_error_t je;
	char path[1024];
	const char *k, *smn, *tcn, *stn;
	size_t i = 0;

	*out = NULL;
	if (!m)
		return err_setn(e, "ServiceException", "out of memory");
	m->doc = json_loadb(text, len, 0, &je);
	if (!m->doc)
		BAD("$: not a JSON object: line %d: %s", je.line, je.text);
	json_object_foreach(m->doc, k, v)
		if (strcmp(k, "StateMachines") && strcmp(k, "MockedResponses"))
			BAD("$.%.100s: unknown field (StateMachines, MockedResponses)", k);
	m->machines = json_object_get(m->doc, "StateMachines");
	resps = json_object_get(m->doc, "MockedResponses");
	if (!json_is_object(m->machines))
		BAD("$.StateMachines: required, an object of state machine names");
	if (!json_is_object(resps))
		BAD("$.MockedResponses: required, an object of mocked response names");
	if (json_object_size(m->machines) > ENGINE_MOCK_NAMES_MAX ||
	    json_object_size(resps) > ENGINE_MOCK_NAMES_MAX)
		BAD("$: more than %d state machines or mocked responses", ENGINE_MOCK_NAMES_MAX);
	m->index = json_object();
	m->resps = calloc(json_object_size(resps) + 1, sizeof *m->resps);
	if (!m->index || !m->resps)
		BAD("out of memory");
	json_object_foreach(resps, k, v) {
		snprintf(path, sizeof path, "$.MockedResponses");
		push(path, sizeof path, k);
		m->nresps = i + 1;   /* freed by engine_mock_free, parsed or not */
		if (parse_response(&m->resps[i], v, path, sizeof path, e))
			goto fail;
		json_object_set_new(m->index, k, json_integer((json_int_t)i));
		i++;
	}
	json_object_foreach(m->machines, smn, v) {
		snprintf(path, sizeof path, "$.StateMachines");
		push(path, sizeof path, smn);
		tcs = json_object_get(v, "TestCases");
		if (!json_is_object(v) || json_object_size(v) != 1 || !json_is_object(tcs))
			BAD("%s: must be {\"TestCases\": {...}}", path);
		if (json_object_size(tcs) > ENGINE_MOCK_NAMES_MAX)
			BAD("%s.TestCases: more than %d test cases", path, ENGINE_MOCK_NAMES_MAX);
		push(path, sizeof path, "TestCases");
		json_object_foreach(tcs, tcn, tc) {
			size_t at = strlen(path);

			push(path, sizeof path, tcn);
			if (!json_is_object(tc))
				BAD("%s: must be an object of Task state names to mocked response names", path);
			json_object_foreach(tc, stn, st) {
				size_t at2 = strlen(path);

				push(path, sizeof path, stn);
				if (!json_is_string(st))
					BAD("%s: must be the name of a mocked response", path);
				if (!json_object_get(m->index, json_string_value(st)))
					BAD("%s: no mocked response '%.100s' in MockedResponses", path,
					    json_string_value(st));
				path[at2] = '\0';
			}
			path[at] = '\0';
		}
	}
	*out = m;
	return 0;
fail:
	engine_mock_free(m);
	return -1;
}

int engine_mock_load(const char *path, struct engine_mock **out, struct err *e)
{
	char *text = NULL;
	size_t len = 0;
	int r = fs_read_file(path, ENGINE_MOCK_FILE_MAX, &text, &len);

	*out = NULL;
	if (r == -EFBIG)
		return err_setn(e, "ValidationException", "%s is larger than %d bytes", path,
				ENGINE_MOCK_FILE_MAX);
	if (r)
		return err_setn(e, "ValidationException", "cannot read %s: %s", path, strerror(-r));
	r = engine_mock_parse(text, len, out, e);
	free(text);
	return r;
}

void engine_mock_free(struct engine_mock *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nresps; i++)
		free(m->resps[i].e);
	free(m->resps);
	json_decref(m->index);
	json_decref(m->doc);
	free(m);
}

static json_t *test_case(const struct engine_mock *m, const char *sm, const char *tc)
{
	if (!m || !sm || !tc)
		return NULL;
	return json_object_get(json_object_get(json_object_get(m->machines, sm), "TestCases"), tc);
}

bool engine_mock_has(const struct engine_mock *m, const char *sm, const char *tc)
{
	return test_case(m, sm, tc) != NULL;
}

const char *engine_mock_only_machine(const struct engine_mock *m)
{
	const char *k;
	json_t *v;

	if (!m || json_object_size(m->machines) != 1)
		return NULL;
	json_object_foreach(m->machines, k, v)
		return k;
	return NULL;
}

bool engine_mock_covers(const struct engine_mock *m, const char *sm, const char *tc,
			const char *state)
{
	return state && json_object_get(test_case(m, sm, tc), state) != NULL;
}

/* ---- the integration ---------------------------------------------------------- */

static bool never(const struct asl_task *t, void *ctx)
{
	(void)t;
	(void)ctx;
	return false;
}

static bool match_fn(const struct asl_task *t, const struct task_where *w, void *ctx)
{
	return t->kind == ASL_RES_FUNCTION && w->test_case &&
	       engine_mock_covers(ctx, w->machine_name, w->test_case, w->state);
}

static bool match_other(const struct asl_task *t, const struct task_where *w, void *ctx)
{
	return t->kind != ASL_RES_FUNCTION && w->test_case &&
	       engine_mock_covers(ctx, w->machine_name, w->test_case, w->state);
}

static int mock_start(struct task_call *c, void *ctx, struct err *e)
{
	const struct engine_mock *m = ctx;
	struct exec *ex = c->f->ex;
	const char *state = c->st->name, *rname;
	const struct mresp *r;
	json_t *idx;
	json_int_t k;
	size_t i;

	rname = json_string_value(json_object_get(test_case(m, ex->sm_name, ex->test_case), state));
	idx = rname ? json_object_get(m->index, rname) : NULL;
	if (!idx)
		return err_set(e, ERR_STATES_RUNTIME, "no mocked response for state '%.100s'", state);
	r = &m->resps[json_integer_value(idx)];
	if (!ex->mock_counts && !(ex->mock_counts = json_object()))
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	k = json_integer_value(json_object_get(ex->mock_counts, state));
	if (json_object_set_new(ex->mock_counts, state, json_integer(k + 1)))
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	for (i = 0; i < r->n; i++)
		if ((json_int_t)r->e[i].lo <= k && k <= (json_int_t)r->e[i].hi)
			break;
	if (i == r->n)
		return err_set(e, ERR_STATES_RUNTIME,
			       "the mocked response '%.100s' has no entry for invocation %lld of state '%.100s' (test case '%.100s')",
			       rname, (long long)k, state, ex->test_case);
	if (!r->e[i].ret) {
		struct err te;

		err_setn(&te, r->e[i].error, "%s", r->e[i].cause);
		task_call_done(c, NULL, &te);
		return 0;
	}
	if (c->token[0]) {
		/* .waitForTaskToken: the call is made, and its token answered
		 * at once with the mocked result (messages run in order). */
		char token[EXEC_TOKEN_MAX];
		struct engine *eng = c->eng;
		struct err te;

		snprintf(token, sizeof token, "%s", c->token);
		task_call_done(c, json_object(), NULL);
		/* cannot fail: the token was registered before start */
		(void)engine_task_success(eng, token, r->e[i].ret, &te);
		return 0;
	}
	task_call_done(c, json_incref(r->e[i].ret), NULL);
	return 0;
}

static const struct task_ops mock_fn_ops = {
	.name = "lambda", .lambda_events = true, .match = never, .match_state = match_fn,
	.start = mock_start,
};
static const struct task_ops mock_ops = {
	.name = NULL, .match = never, .match_state = match_other, .start = mock_start,
};

int engine_mock_register(struct engine *eng, const struct engine_mock *m, struct err *e)
{
	if (engine_register_task(eng, &mock_fn_ops, (void *)m) ||
	    engine_register_task(eng, &mock_ops, (void *)m))
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	return 0;
}
