/* asl_parse — state machines and states: which fields each state type
 * takes (the table in asl_states.def), their values, exclusions and
 * transitions. Machines are compiled in two passes: first the state names
 * (so every Next can be resolved to an index on sight), then the states. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl_internal.h"
#include "intrinsics.h"
#include "jsonpath.h"


#define J 2  /* only with QueryLanguage JSONata */
#define P 3  /* only with QueryLanguage JSONPath */
static const struct {
	const char *name;
	unsigned char allow[ASL_TYPE__COUNT];
} fields[] = {
#define ASL_FIELD(id, name, t0, t1, t2, t3, t4, t5, t6, t7) \
	{ name, { t0, t1, t2, t3, t4, t5, t6, t7 } },
#include "asl_states.def"
#undef ASL_FIELD
};
#undef J
#undef P

const char *asl_field_name(enum asl_fid id)
{
	return fields[id].name;
}

static const char *const type_list =
	"Task, Parallel, Map, Pass, Wait, Choice, Succeed or Fail";

int asl_resolve(struct asl_ctx *c, const struct asl_machine *m, const char *key,
		const struct asl_found *f)
{
	const char *name = json_string_value(f->v);
	int i;

	if (!name) {
		asl_problem_at(c, key, f->pos, "must be a string (a state name)");
		c->lost_edges++;
		return ASL_NONE;
	}
	i = asl_find_state(m, name);
	if (i != ASL_NONE)
		return i;
	c->lost_edges++;
	{
		/* A typo of a state name: say which one was meant. */
		const char **names = m->n_states ? malloc(m->n_states * sizeof *names) : NULL;
		const char *near = NULL;
		char hint[160] = "";

		if (names) {
			for (size_t k = 0; k < m->n_states; k++)
				names[k] = m->states[k].name;
			near = asl_suggest(name, names, m->n_states);
			if (near)
				snprintf(hint, sizeof hint, " (did you mean '%.100s'?)", near);
			free(names);
		}
		if (c->scope)
			asl_problem_at(c, key, f->pos, "no state named '%.100s' in this %s%s", name, c->scope,
				       hint);
		else
			asl_problem_at(c, key, f->pos, "no state named '%.100s'%s", name, hint);
	}
	return ASL_NONE;
}

/* QueryLanguage: true for JSONata. `deflt` is what an absent or bad value
 * means; a JSONata machine cannot hold a JSONPath state or machine. */
static bool query_language(struct asl_ctx *c, const struct asl_found *f, bool deflt)
{
	const char *s = json_string_value(f->v);

	if (!f->v)
		return deflt;
	if (s && !strcmp(s, "JSONata"))
		return true;
	if (s && !strcmp(s, "JSONPath")) {
		if (deflt)
			asl_problem_at(c, "QueryLanguage", f->pos,
				       "cannot be \"JSONPath\" inside a state machine whose QueryLanguage is \"JSONata\" (only a JSONPath machine may mix in JSONata states)");
		return false;
	}
	asl_problem_at(c, "QueryLanguage", f->pos, "must be \"JSONPath\" or \"JSONata\"");
	return deflt;
}

/* What to use instead of a JSONPath-only field in a JSONata state. */
static const char *jsonata_instead(const char *key, enum asl_type type)
{
	if (!strcmp(key, "Parameters"))
		return type == ASL_PASS ? "use 'Output'"
		       : type == ASL_MAP ? "use 'ItemSelector'" : "use 'Arguments'";
	if (!strcmp(key, "Result"))
		return "use 'Output'";
	if (!strcmp(key, "InputPath"))
		return "use $states.input in 'Arguments' or 'Output'";
	if (!strcmp(key, "ResultSelector") || !strcmp(key, "ResultPath") || !strcmp(key, "OutputPath"))
		return "use 'Output' (and 'Assign') with $states.result";
	if (!strcmp(key, "ItemsPath"))
		return "use 'Items'";
	return "use the field without 'Path' with a \"{% ... %}\" expression";
}

/* At most one of the fields `ids` (n of them) may be present; returns the
 * index in `ids` of the one used, or -1 when none. */
static int one_of(struct asl_ctx *c, const struct asl_found *f, const enum asl_fid *ids, size_t n)
{
	int first = -1;
	size_t i;

	for (i = 0; i < n; i++)
		if (f[ids[i]].v && (first < 0 || f[ids[i]].pos < f[ids[first]].pos))
			first = (int)i;
	for (i = 0; i < n; i++)
		if (f[ids[i]].v && (int)i != first)
			asl_problem_at(c, fields[ids[i]].name, f[ids[i]].pos,
				       "cannot be used together with '%s'", fields[ids[first]].name);
	return first;
}

#define GET(id) (&f[F_##id])
#define NAME(id) (fields[F_##id].name)

/* ---- Task ------------------------------------------------------------------- */

static bool parse_task(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st)
{
	struct asl_task *t = &st->task;
	bool ok = true, tlit = false, hlit = false;

	if (!GET(RESOURCE)->v) {
		asl_problem(c, "missing required field 'Resource'");
		ok = false;
	} else if (!asl_get_resource(c, GET(RESOURCE), t)) {
		ok = false;
	}
	ok = asl_exclusive(c, NAME(TIMEOUT_SECONDS), GET(TIMEOUT_SECONDS),
			   NAME(TIMEOUT_SECONDS_PATH), GET(TIMEOUT_SECONDS_PATH)) && ok;
	ok = asl_exclusive(c, NAME(HEARTBEAT_SECONDS), GET(HEARTBEAT_SECONDS),
			   NAME(HEARTBEAT_SECONDS_PATH), GET(HEARTBEAT_SECONDS_PATH)) && ok;
	if (st->jsonata && GET(TIMEOUT_SECONDS)->v) {
		ok = asl_get_jexpr(c, NAME(TIMEOUT_SECONDS), GET(TIMEOUT_SECONDS), &t->timeout_expr) && ok;
		if (!ok)
			return false;
	}
	if (st->jsonata && GET(HEARTBEAT_SECONDS)->v) {
		ok = asl_get_jexpr(c, NAME(HEARTBEAT_SECONDS), GET(HEARTBEAT_SECONDS), &t->heartbeat_expr) && ok;
		if (!ok)
			return false;
	}
	if (GET(TIMEOUT_SECONDS)->v && !t->timeout_expr) {
		tlit = asl_get_uint(c, NAME(TIMEOUT_SECONDS), GET(TIMEOUT_SECONDS), 1,
				    ASL_SECONDS_MAX, &t->timeout_seconds);
		ok = tlit && ok;
	}
	if (GET(TIMEOUT_SECONDS_PATH)->v)
		ok = asl_get_path(c, NAME(TIMEOUT_SECONDS_PATH), GET(TIMEOUT_SECONDS_PATH),
				  JSONPATH_REFERENCE, false, false, &t->timeout_path) && ok;
	if (GET(HEARTBEAT_SECONDS)->v && !t->heartbeat_expr) {
		hlit = asl_get_uint(c, NAME(HEARTBEAT_SECONDS), GET(HEARTBEAT_SECONDS), 1,
				    ASL_SECONDS_MAX, &t->heartbeat_seconds);
		ok = hlit && ok;
	}
	if (GET(HEARTBEAT_SECONDS_PATH)->v)
		ok = asl_get_path(c, NAME(HEARTBEAT_SECONDS_PATH), GET(HEARTBEAT_SECONDS_PATH),
				  JSONPATH_REFERENCE, false, false, &t->heartbeat_path) && ok;
	if (tlit && hlit && t->heartbeat_seconds >= t->timeout_seconds) {
		asl_problem_at(c, NAME(HEARTBEAT_SECONDS), GET(HEARTBEAT_SECONDS)->pos,
			       "must be smaller than TimeoutSeconds (%u)", t->timeout_seconds);
		ok = false;
	}
	if (GET(CREDENTIALS)->v) {
		if (!json_is_object(GET(CREDENTIALS)->v)) {
			asl_problem_at(c, NAME(CREDENTIALS), GET(CREDENTIALS)->pos, "must be an object");
			ok = false;
		} else if (!(t->credentials = asl_get_template(c, NAME(CREDENTIALS), GET(CREDENTIALS), false))) {
			ok = false;
		}
	}
	return ok;
}

/* ---- Parallel (Map: asl_parse_map.c) ---------------------------------------------- */

static bool parse_parallel(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st)
{
	const struct asl_found *b = GET(BRANCHES);
	const char *scope = c->scope;
	size_t i, n = json_array_size(b->v);
	bool ok = true;

	if (!b->v) {
		asl_problem(c, "missing required field 'Branches'");
		return false;
	}
	if (!json_is_array(b->v) || !n) {
		asl_problem_at(c, NAME(BRANCHES), b->pos, "must be a non-empty array of state machines");
		return false;
	}
	st->parallel.branches = asl_alloc(c, n, sizeof *st->parallel.branches);
	if (!st->parallel.branches)
		return false;
	st->parallel.n_branches = n;
	asl_push_key(c, NAME(BRANCHES), b->pos);
	c->scope = "branch";
	for (i = 0; i < n && !c->oom; i++) {
		json_t *v = json_array_get(b->v, i);

		asl_push_index(c, i);
		if (!json_is_object(v)) {
			asl_problem(c, "must be an object (a state machine)");
			ok = false;
		} else if (!(st->parallel.branches[i] = asl_parse_machine(c, v, ASL_MK_BRANCH, NULL))) {
			ok = false;
		}
		asl_pop(c);
	}
	c->scope = scope;
	asl_pop(c);
	return ok;
}

/* ---- Wait, Choice, Fail --------------------------------------------------------- */

static bool parse_wait(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st)
{
	static const enum asl_fid ids[] = { F_SECONDS, F_SECONDS_PATH, F_TIMESTAMP, F_TIMESTAMP_PATH };
	struct asl_wait *w = &st->wait;
	const char *s;
	uint32_t secs;
	int k = one_of(c, f, ids, 4);

	if (k < 0) {
		asl_problem(c, "must have one of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath'");
		return false;
	}
	if (st->jsonata && (ids[k] == F_SECONDS || ids[k] == F_TIMESTAMP)) {
		if (!asl_get_jexpr(c, fields[ids[k]].name, &f[ids[k]], &w->expr))
			return false;
		if (w->expr) {
			w->kind = ids[k] == F_SECONDS ? ASL_WAIT_SECONDS_EXPR : ASL_WAIT_TIMESTAMP_EXPR;
			return !!GET(SECONDS)->v + !!GET(TIMESTAMP)->v == 1;
		}
	}
	switch (ids[k]) {
	case F_SECONDS:
		w->kind = ASL_WAIT_SECONDS;
		if (!asl_get_uint(c, NAME(SECONDS), GET(SECONDS), 0, ASL_SECONDS_MAX, &secs))
			return false;
		w->seconds = secs;
		break;
	case F_TIMESTAMP:
		w->kind = ASL_WAIT_TIMESTAMP;
		if (!asl_get_string(c, NAME(TIMESTAMP), GET(TIMESTAMP), &s))
			return false;
		if (!asl_time_parse(s, &w->timestamp)) {
			asl_problem_at(c, NAME(TIMESTAMP), GET(TIMESTAMP)->pos,
				       "must be an RFC 3339 timestamp (e.g. \"2016-03-14T01:59:00Z\")");
			return false;
		}
		break;
	default:
		w->kind = ids[k] == F_SECONDS_PATH ? ASL_WAIT_SECONDS_PATH : ASL_WAIT_TIMESTAMP_PATH;
		if (!asl_get_path(c, fields[ids[k]].name, &f[ids[k]], JSONPATH_REFERENCE, false,
				  false, &w->path))
			return false;
	}
	/* a second one was reported by one_of */
	return !!GET(SECONDS)->v + !!GET(SECONDS_PATH)->v + !!GET(TIMESTAMP)->v +
	       !!GET(TIMESTAMP_PATH)->v == 1;
}

static bool parse_choice(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st,
			 const struct asl_machine *m)
{
	bool ok = true;

	st->choice.default_next = ASL_NONE;
	if (!GET(CHOICES)->v) {
		asl_problem(c, "missing required field 'Choices'");
		c->lost_edges++;
		ok = false;
	} else if (!asl_get_choices(c, GET(CHOICES), st, m)) {
		ok = false;
	}
	if (GET(DEFAULT)->v &&
	    (st->choice.default_next = asl_resolve(c, m, NAME(DEFAULT), GET(DEFAULT))) == ASL_NONE)
		ok = false;
	return ok;
}

/* ErrorPath/CausePath: a reference path, or an intrinsic that yields a
 * string (as Step Functions allows there). */
static bool fail_path(struct asl_ctx *c, const char *key, const struct asl_found *f,
		      struct asl_expr *out)
{
	static const char *const stringy[] = {
		"States.Format", "States.JsonToString", "States.ArrayGetItem",
		"States.Base64Encode", "States.Base64Decode", "States.Hash", "States.UUID",
	};
	const char *name;
	size_t i;

	if (!asl_get_expr(c, key, f, true, out))
		return false;
	if (!out->fn)
		return true;
	name = intrinsic_name(out->fn);
	for (i = 0; i < sizeof stringy / sizeof stringy[0]; i++)
		if (name && !strcmp(name, stringy[i]))
			return true;
	asl_problem_at(c, key, f->pos, "intrinsic function %s does not return a string (use States.Format, States.JsonToString, ...)",
		       name ? name : "?");
	return false;
}

static bool parse_fail(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st)
{
	struct asl_fail *fl = &st->fail;
	bool ok = true;

	ok = asl_exclusive(c, NAME(ERROR), GET(ERROR), NAME(ERROR_PATH), GET(ERROR_PATH)) && ok;
	ok = asl_exclusive(c, NAME(CAUSE), GET(CAUSE), NAME(CAUSE_PATH), GET(CAUSE_PATH)) && ok;
	if (st->jsonata && GET(ERROR)->v &&
	    !asl_get_jexpr(c, NAME(ERROR), GET(ERROR), &fl->error_expr))
		ok = false;
	if (st->jsonata && GET(CAUSE)->v &&
	    !asl_get_jexpr(c, NAME(CAUSE), GET(CAUSE), &fl->cause_expr))
		ok = false;
	if (GET(ERROR)->v && !fl->error_expr)
		ok = asl_get_string(c, NAME(ERROR), GET(ERROR), &fl->error) && ok;
	if (GET(CAUSE)->v && !fl->cause_expr)
		ok = asl_get_string(c, NAME(CAUSE), GET(CAUSE), &fl->cause) && ok;
	if (GET(ERROR_PATH)->v)
		ok = fail_path(c, NAME(ERROR_PATH), GET(ERROR_PATH), &fl->error_path) && ok;
	if (GET(CAUSE_PATH)->v)
		ok = fail_path(c, NAME(CAUSE_PATH), GET(CAUSE_PATH), &fl->cause_path) && ok;
	return ok;
}

/* ---- states --------------------------------------------------------------------- */

static bool scan_state(struct asl_ctx *c, json_t *v, struct asl_state *st, struct asl_found *f)
{
	const char *key, *type;
	uint32_t pos = 0;
	json_t *x;
	size_t i;

	memset(f, 0, F__COUNT * sizeof *f);
	x = json_object_get(v, "Type");
	if (!x) {
		asl_problem(c, "missing required field 'Type'");
		return false;
	}
	type = json_string_value(x);
	for (i = 0; type && i < ASL_TYPE__COUNT; i++)
		if (!strcmp(type, asl_type_name((enum asl_type)i)))
			break;
	if (!type || i == ASL_TYPE__COUNT) {
		json_object_foreach(v, key, x) {
			if (!strcmp(key, "Type"))
				break;
			pos++;
		}
		if (!type)
			asl_problem_at(c, "Type", pos, "must be a string (%s)", type_list);
		else
			asl_problem_at(c, "Type", pos, "unknown state type '%.40s' (expected %s)",
				       type, type_list);
		return false;
	}
	st->type = (enum asl_type)i;
	{
		struct asl_found ql = { json_object_get(v, "QueryLanguage"), 0 };

		json_object_foreach(v, key, x) {
			if (!strcmp(key, "QueryLanguage"))
				break;
			ql.pos++;
		}
		st->jsonata = c->jsonata = query_language(c, &ql, c->m_jsonata);
	}
	pos = 0;
	json_object_foreach(v, key, x) {
		size_t k;

		for (k = 0; k < F__COUNT; k++)
			if (key[0] == fields[k].name[0] && !strcmp(key, fields[k].name))
				break;
		if (k == F__COUNT) {
			const char *allowed[F__COUNT];
			size_t n = 0;

			for (k = 0; k < F__COUNT; k++)
				if (fields[k].allow[st->type] == 1)
					allowed[n++] = fields[k].name;
			asl_unknown_field(c, key, pos, allowed, n);
		}
		else if (fields[k].allow[st->type] == 0) {
			asl_problem_at(c, key, pos, "not allowed in a %s state", type);
			if (k == F_NEXT || k == F_CATCH)
				c->lost_edges++;
		}
		else if (fields[k].allow[st->type] == 2 && !st->jsonata)
			asl_problem_at(c, key, pos, "only allowed in a state whose QueryLanguage is \"JSONata\"");
		else if (fields[k].allow[st->type] == 3 && st->jsonata)
			asl_problem_at(c, key, pos, "not allowed in a JSONata state: %s", jsonata_instead(key, st->type));
		else
			f[k] = (struct asl_found){ x, pos };
		pos++;
	}
	return true;
}

static bool transitions(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st,
			const struct asl_machine *m)
{
	bool ok = true;

	if (st->type == ASL_SUCCEED || st->type == ASL_FAIL) {
		st->end = true;
		return true;
	}
	if (st->type == ASL_CHOICE)
		return true;
	if (!asl_exclusive(c, NAME(NEXT), GET(NEXT), NAME(END), GET(END))) {
		c->lost_edges++;
		return false;
	}
	if (GET(END)->v) {
		if (!json_is_true(GET(END)->v)) {
			asl_problem_at(c, NAME(END), GET(END)->pos, "must be true (leave it out otherwise)");
			c->lost_edges++;
			return false;
		}
		st->end = true;
	} else if (GET(NEXT)->v) {
		ok = (st->next = asl_resolve(c, m, NAME(NEXT), GET(NEXT))) != ASL_NONE;
	} else {
		asl_problem(c, "must have 'Next' or \"End\": true");
		c->lost_edges++;
		ok = false;
	}
	return ok;
}

static bool parse_state(struct asl_ctx *c, json_t *v, struct asl_state *st,
			const struct asl_machine *m)
{
	struct asl_found f[F__COUNT];
	const char *s;
	bool ok = true;

	if (!json_is_object(v)) {
		asl_problem(c, "must be an object");
		return false;
	}
	if (!scan_state(c, v, st, f))
		return false;
	if (GET(COMMENT)->v)
		ok = asl_get_string(c, NAME(COMMENT), GET(COMMENT), &s) && ok;
	ok = transitions(c, f, st, m) && ok;
	if (GET(INPUT_PATH)->v)
		ok = asl_get_path(c, NAME(INPUT_PATH), GET(INPUT_PATH), 0, true, false,
				  &st->input_path) && ok;
	if (GET(OUTPUT_PATH)->v)
		ok = asl_get_path(c, NAME(OUTPUT_PATH), GET(OUTPUT_PATH), 0, true, false,
				  &st->output_path) && ok;
	if (GET(RESULT_PATH)->v)
		ok = asl_get_path(c, NAME(RESULT_PATH), GET(RESULT_PATH), JSONPATH_REFERENCE,
				  true, true, &st->result_path) && ok;
	if (GET(PARAMETERS)->v && st->type != ASL_MAP &&
	    !(st->parameters = asl_get_template(c, NAME(PARAMETERS), GET(PARAMETERS), false)))
		ok = false;
	if (GET(RESULT_SELECTOR)->v &&
	    !(st->result_selector = asl_get_template(c, NAME(RESULT_SELECTOR), GET(RESULT_SELECTOR), false)))
		ok = false;
	if (GET(ASSIGN)->v && !(st->assign = st->jsonata ?
				asl_get_jtemplate(c, NAME(ASSIGN), GET(ASSIGN), true) :
				asl_get_template(c, NAME(ASSIGN), GET(ASSIGN), true)))
		ok = false;
	if (GET(ARGUMENTS)->v &&
	    !(st->arguments = asl_get_jtemplate(c, NAME(ARGUMENTS), GET(ARGUMENTS), false)))
		ok = false;
	if (GET(OUTPUT)->v && !(st->output = asl_get_jtemplate(c, NAME(OUTPUT), GET(OUTPUT), false)))
		ok = false;
	if (GET(RETRY)->v)
		ok = asl_get_retry(c, GET(RETRY), st) && ok;
	if (GET(CATCH)->v)
		ok = asl_get_catch(c, GET(CATCH), st, m) && ok;
	switch (st->type) {
	case ASL_TASK:
		return parse_task(c, f, st) && ok;
	case ASL_PARALLEL:
		return parse_parallel(c, f, st) && ok;
	case ASL_MAP:
		return asl_parse_map(c, f, st) && ok;
	case ASL_PASS:
		st->pass.result = GET(RESULT)->v;
		return ok;
	case ASL_WAIT:
		return parse_wait(c, f, st) && ok;
	case ASL_CHOICE:
		return parse_choice(c, f, st, m) && ok;
	case ASL_FAIL:
		return parse_fail(c, f, st) && ok;
	default:
		return ok;
	}
}

/* ---- machines --------------------------------------------------------------------- */

static int by_name_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct asl_state *const *)a)->name,
		      (*(const struct asl_state *const *)b)->name);
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Pass 1: the names, checked, registered and indexed. */
static bool index_states(struct asl_ctx *c, json_t *states, struct asl_machine *m)
{
	const struct asl_state **sorted;
	const char *key;
	uint32_t pos = 0;
	json_t *v;
	size_t i;

	m->n_states = json_object_size(states);
	m->states = asl_alloc(c, m->n_states ? m->n_states : 1, sizeof *m->states);
	m->by_name = asl_alloc(c, m->n_states ? m->n_states : 1, sizeof *m->by_name);
	sorted = malloc((m->n_states ? m->n_states : 1) * sizeof *sorted);
	if (!m->states || !m->by_name || !sorted) {
		free(sorted);
		c->oom = true;
		m->n_states = 0;
		return false;
	}
	json_object_foreach(states, key, v) {
		struct asl_state *st = &m->states[pos];

		st->name = key;
		st->next = ASL_NONE;
		sorted[pos] = st;
		if (!*key)
			asl_problem_at(c, key, pos, "state name must not be empty");
		else if (utf8_chars(key) > ASL_NAME_MAX)
			asl_problem_at(c, key, pos, "state name is longer than %d characters", ASL_NAME_MAX);
		if (!asl_name_add(c, key))
			asl_problem_at(c, key, pos, "state name is already used by another state (names must be unique in the whole definition, branches included)");
		pos++;
	}
	qsort(sorted, m->n_states, sizeof *sorted, by_name_cmp);
	for (i = 0; i < m->n_states; i++)
		m->by_name[i] = (int)(sorted[i] - m->states);
	free(sorted);
	return true;
}

static const char *const top_fields[] = {
	"StartAt", "States", "Comment", "QueryLanguage", "TimeoutSeconds", "Version",
};
static const char *const nested_fields[] = {
	"StartAt", "States", "Comment", "QueryLanguage", "ProcessorConfig",
};

struct asl_machine *asl_parse_machine(struct asl_ctx *c, json_t *obj, enum asl_mkind kind,
				      struct asl_found *config)
{
	struct asl_found f[6];
	struct asl_machine *m = NULL;
	size_t before, lost = c->lost_edges, i;
	bool saved_jsonata = c->m_jsonata;
	const char *s;
	json_t *v;

	if (c->mdepth >= ASL_NESTING_MAX) {
		asl_problem(c, "state machines nested deeper than %d levels", ASL_NESTING_MAX);
		return NULL;
	}
	c->mdepth++;
	if (kind == ASL_MK_TOP)
		asl_scan(c, obj, top_fields, 6, NULL, f);
	else
		asl_scan(c, obj, nested_fields, kind == ASL_MK_BRANCH ? 4 : 5, NULL, f);
	m = asl_alloc(c, 1, sizeof *m);
	if (!m)
		goto out;
	m->start = ASL_NONE;
	m->depth = c->mdepth - 1;
	if (f[2].v && asl_get_string(c, "Comment", &f[2], &s))
		m->comment = s;
	saved_jsonata = c->m_jsonata;
	c->m_jsonata = query_language(c, &f[3], c->m_jsonata);
	if (kind == ASL_MK_TOP) {
		if (f[4].v)
			asl_get_uint(c, "TimeoutSeconds", &f[4], 1, ASL_SECONDS_MAX, &m->timeout_seconds);
		if (f[5].v)
			asl_get_string(c, "Version", &f[5], &s);
	} else if (kind != ASL_MK_BRANCH && config) {
		*config = f[4];
	}
	if (!f[1].v) {
		asl_problem(c, "missing required field 'States'");
	} else if (!json_is_object(f[1].v)) {
		asl_problem_at(c, "States", f[1].pos, "must be an object");
	} else {
		asl_push_key(c, "States", f[1].pos);
		index_states(c, f[1].v, m);
		asl_pop(c);
	}
	if (!f[0].v)
		asl_problem(c, "missing required field 'StartAt'");
	else if (m->states)
		m->start = asl_resolve(c, m, "StartAt", &f[0]);
	if (!m->n_states)
		goto out;
	before = c->total;
	asl_push_key(c, "States", f[1].pos);
	i = 0;
	json_object_foreach(f[1].v, s, v) {
		asl_push_key(c, s, (uint32_t)i);
		parse_state(c, v, &m->states[i], m);
		asl_pop(c);
		if (c->oom)
			break;
		i++;
	}
	asl_pop(c);
	if (!c->oom) {
		asl_push_key(c, "States", f[1].pos);
		asl_check_graph(c, m, before, c->lost_edges == lost);
		asl_pop(c);
	}
out:
	c->m_jsonata = saved_jsonata;
	c->lost_edges = lost;
	c->mdepth--;
	return c->oom ? NULL : m;
}
