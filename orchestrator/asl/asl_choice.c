/* asl_choice — Choice rules (And/Or/Not and the comparison operators of
 * asl_states.def), StringMatches patterns and RFC 3339 timestamps. */
#include <string.h>

#include "asl_internal.h"
#include "jsonpath.h"

static const struct {
	const char *name;
	enum asl_operand operand;
	bool has_path;
} cmps[] = {
#define ASL_CMP(id, name, operand, has_path) { name, ASL_OPD_##operand, has_path },
#include "asl_states.def"
#undef ASL_CMP
};

/* ---- timestamps --------------------------------------------------------------- */

static bool digits(const char **p, int n, int *out)
{
	int v = 0;

	while (n--) {
		if (**p < '0' || **p > '9')
			return false;
		v = v * 10 + (*(*p)++ - '0');
	}
	*out = v;
	return true;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool asl_time_parse(const char *s, struct asl_time *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0, nd = 0;
	int32_t nsec = 0;
	const char *p = s;

	if (!s || !digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
	    !digits(&p, 2, &d) || *p++ != 'T' || !digits(&p, 2, &h) || *p++ != ':' ||
	    !digits(&p, 2, &mi) || *p++ != ':' || !digits(&p, 2, &sec))
		return false;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		for (; *p >= '0' && *p <= '9'; p++, nd++)
			if (nd < 9)
				nsec = nsec * 10 + (*p - '0');
		for (; nd < 9; nd++)
			nsec *= 10;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om))
			return false;
	} else {
		return false;
	}
	if (*p || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && leap(y)) || h > 23 || mi > 59 || sec > 60 ||
	    oh > 23 || om > 59)
		return false;
	if (out) {
		out->sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
			   sign * (oh * 3600 + om * 60);
		out->nsec = nsec;
	}
	return true;
}

int asl_time_cmp(const struct asl_time *a, const struct asl_time *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	return (a->nsec > b->nsec) - (a->nsec < b->nsec);
}

/* ---- StringMatches -------------------------------------------------------------- */

bool asl_pattern_compile(struct asl_ctx *c, const char *s, size_t len, struct asl_pattern *out)
{
	size_t i, stars = 0, k = 0, start = 0, o = 0;
	char *buf;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '*')
			stars++;
	}
	if (len && s[len - 1] == '\\') {
		/* a lone trailing backslash: count the backslashes before it */
		size_t n = 0;

		while (n < len && s[len - 1 - n] == '\\')
			n++;
		if (n % 2) {
			asl_problem(c, "ends with an unfinished escape ('\\' must be followed by a character)");
			return false;
		}
	}
	out->n = stars + 1;
	out->seg = asl_alloc(c, out->n, sizeof *out->seg);
	out->len = asl_alloc(c, out->n, sizeof *out->len);
	buf = asl_alloc(c, len + 1, 1);
	if (!out->seg || !out->len || !buf)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '\\') {
			buf[o++] = s[++i];  /* \* and \\ are literal; \x is x */
		} else if (s[i] == '*') {
			out->seg[k] = buf + start;
			out->len[k++] = o - start;
			start = o;
		} else {
			buf[o++] = s[i];
		}
	}
	out->seg[k] = buf + start;
	out->len[k] = o - start;
	return true;
}

bool asl_pattern_match(const struct asl_pattern *p, const char *s, size_t len)
{
	size_t lo, hi, k, first = p->len[0], last = p->len[p->n - 1];

	if (p->n == 1)
		return len == first && !memcmp(s, p->seg[0], len);
	if (len < first + last || memcmp(s, p->seg[0], first) ||
	    memcmp(s + len - last, p->seg[p->n - 1], last))
		return false;
	/* Between the fixed ends, taking each middle segment at its leftmost
	 * match is optimal for '*'-only patterns: no backtracking needed. */
	lo = first;
	hi = len - last;
	for (k = 1; k + 1 < p->n; k++) {
		const char *hit;

		if (!p->len[k])
			continue;
		hit = memmem(s + lo, hi - lo, p->seg[k], p->len[k]);
		if (!hit)
			return false;
		lo = (size_t)(hit - s) + p->len[k];
	}
	return true;
}

/* ---- rules ------------------------------------------------------------------------ */

struct rule_fields {
	struct asl_found var, next, assign, comment, condition, output;
	struct asl_found logic;          /* And / Or / Not (the first one) */
	const char *logic_key;
	struct asl_found cmp;            /* the first comparison operator */
	const char *cmp_key;
	int cmp_id;
	bool by_path;
};

static int find_cmp(const char *key, bool *by_path)
{
	size_t i, n, kl = strlen(key);

	for (i = 0; i < ASL_CMP__COUNT; i++) {
		n = strlen(cmps[i].name);
		if (kl == n && !memcmp(key, cmps[i].name, n)) {
			*by_path = false;
			return (int)i;
		}
		if (cmps[i].has_path && kl == n + 4 && !memcmp(key, cmps[i].name, n) &&
		    !strcmp(key + n, "Path")) {
			*by_path = true;
			return (int)i;
		}
	}
	return -1;
}

static void scan_rule(struct asl_ctx *c, json_t *v, struct rule_fields *rf)
{
	const char *key;
	uint32_t pos = 0;
	json_t *x;
	bool by_path;
	int id;

	memset(rf, 0, sizeof *rf);
	rf->cmp_id = -1;
	json_object_foreach(v, key, x) {
		struct asl_found here = { x, pos };

		if (!strcmp(key, "Variable")) {
			rf->var = here;
		} else if (!strcmp(key, "Next")) {
			rf->next = here;
		} else if (!strcmp(key, "Assign")) {
			rf->assign = here;
		} else if (!strcmp(key, "Comment")) {
			rf->comment = here;
		} else if (!strcmp(key, "And") || !strcmp(key, "Or") || !strcmp(key, "Not")) {
			if (rf->logic.v)
				asl_problem_at(c, key, pos, "cannot be used together with '%s'", rf->logic_key);
			else if (rf->cmp.v)
				asl_problem_at(c, key, pos, "cannot be used together with '%s'", rf->cmp_key);
			else {
				rf->logic = here;
				rf->logic_key = key;
			}
		} else if ((id = find_cmp(key, &by_path)) >= 0) {
			if (rf->cmp.v)
				asl_problem_at(c, key, pos, "only one comparison operator is allowed in a rule (already has '%s')",
					       rf->cmp_key);
			else if (rf->logic.v)
				asl_problem_at(c, key, pos, "cannot be used together with '%s'", rf->logic_key);
			else {
				rf->cmp = here;
				rf->cmp_key = key;
				rf->cmp_id = id;
				rf->by_path = by_path;
			}
		} else if (!strcmp(key, "Condition")) {
			rf->condition = here;
		} else if (!strcmp(key, "Output")) {
			rf->output = here;
		} else {
			asl_problem_at(c, key, pos, "unknown field");
		}
		pos++;
	}
}

static bool parse_rule(struct asl_ctx *c, json_t *v, struct asl_rule *r, unsigned depth,
		       const struct asl_machine *m);

static bool parse_logic(struct asl_ctx *c, const struct rule_fields *rf, struct asl_rule *r,
			unsigned depth, const struct asl_machine *m)
{
	const char *key = rf->logic_key;
	bool ok = true;
	size_t i;

	if (rf->var.v) {
		asl_problem_at(c, "Variable", rf->var.pos, "cannot be used together with '%s'", key);
		ok = false;
	}
	if (depth + 1 > ASL_RULE_DEPTH_MAX) {
		asl_problem_at(c, key, rf->logic.pos, "rules nested deeper than %d levels", ASL_RULE_DEPTH_MAX);
		return false;
	}
	if (!strcmp(key, "Not")) {
		r->kind = ASL_RULE_NOT;
		if (!json_is_object(rf->logic.v)) {
			asl_problem_at(c, key, rf->logic.pos, "must be a choice rule (an object)");
			return false;
		}
		r->n = 1;
		r->subs = asl_alloc(c, 1, sizeof *r->subs);
		if (!r->subs)
			return false;
		asl_push_key(c, key, rf->logic.pos);
		ok = parse_rule(c, rf->logic.v, r->subs, depth + 1, m) && ok;
		asl_pop(c);
		return ok;
	}
	r->kind = !strcmp(key, "And") ? ASL_RULE_AND : ASL_RULE_OR;
	r->n = json_array_size(rf->logic.v);
	if (!json_is_array(rf->logic.v) || !r->n) {
		asl_problem_at(c, key, rf->logic.pos, "must be a non-empty array of choice rules");
		return false;
	}
	r->subs = asl_alloc(c, r->n, sizeof *r->subs);
	if (!r->subs)
		return false;
	asl_push_key(c, key, rf->logic.pos);
	for (i = 0; i < r->n; i++) {
		json_t *sub = json_array_get(rf->logic.v, i);

		asl_push_index(c, i);
		if (!json_is_object(sub)) {
			asl_problem(c, "must be a choice rule (an object)");
			ok = false;
		} else if (!parse_rule(c, sub, &r->subs[i], depth + 1, m)) {
			ok = false;
		}
		asl_pop(c);
	}
	asl_pop(c);
	return ok;
}

static bool parse_operand(struct asl_ctx *c, const struct rule_fields *rf, struct asl_rule *r)
{
	const char *key = rf->cmp_key;
	json_t *v = rf->cmp.v;
	struct asl_found f = rf->cmp;
	bool ok;

	if (r->by_path) {
		struct asl_path p = { 0 };

		if (!asl_get_path(c, key, &f, JSONPATH_REFERENCE, false, false, &p))
			return false;
		r->value_path = p.jp;
		return true;
	}
	r->value = v;
	switch (r->operand) {
	case ASL_OPD_STRING:
	case ASL_OPD_PATTERN:
		if (!json_is_string(v)) {
			asl_problem_at(c, key, f.pos, "must be a string");
			return false;
		}
		r->str = json_string_value(v);
		r->str_len = json_string_length(v);
		if (r->operand == ASL_OPD_STRING)
			return true;
		asl_push_key(c, key, f.pos);
		ok = asl_pattern_compile(c, r->str, r->str_len, &r->pattern);
		asl_pop(c);
		return ok;
	case ASL_OPD_NUMBER:
		if (!json_is_number(v)) {
			asl_problem_at(c, key, f.pos, "must be a number");
			return false;
		}
		r->num = json_number_value(v);
		return true;
	case ASL_OPD_BOOLEAN:
	case ASL_OPD_TYPETEST:
		if (!json_is_boolean(v)) {
			asl_problem_at(c, key, f.pos, "must be true or false");
			return false;
		}
		r->boolean = json_is_true(v);
		return true;
	case ASL_OPD_TIMESTAMP:
		if (!json_is_string(v) || !asl_time_parse(json_string_value(v), &r->ts)) {
			asl_problem_at(c, key, f.pos, "must be an RFC 3339 timestamp string (e.g. \"2016-03-14T01:59:00Z\")");
			return false;
		}
		r->str = json_string_value(v);
		r->str_len = json_string_length(v);
		return true;
	}
	return false;
}

/* A rule of a JSONata Choice state: Condition (true, false or "{% %}"),
 * Next, Assign, Output, Comment; no Variable, operators or And/Or/Not. */
static bool parse_jrule(struct asl_ctx *c, const struct rule_fields *rf, struct asl_rule *r,
			unsigned depth, const struct asl_machine *m)
{
	const char *s;
	bool ok = true;

	(void)depth;
	r->kind = ASL_RULE_CONDITION;
	if (rf->var.v) {
		asl_problem_at(c, "Variable", rf->var.pos,
			       "not allowed in a JSONata state: use 'Condition' with a \"{%% ... %%}\" expression");
		ok = false;
	}
	if (rf->cmp.v) {
		asl_problem_at(c, rf->cmp_key, rf->cmp.pos,
			       "not allowed in a JSONata state: use 'Condition' with a \"{%% ... %%}\" expression");
		ok = false;
	}
	if (rf->logic.v) {
		asl_problem_at(c, rf->logic_key, rf->logic.pos,
			       "not allowed in a JSONata state: use 'Condition' (JSONata has and, or and $not())");
		ok = false;
	}
	if (!rf->next.v) {
		asl_problem(c, "missing required field 'Next'");
		c->lost_edges++;
		ok = false;
	} else if ((r->next = asl_resolve(c, m, "Next", &rf->next)) == ASL_NONE) {
		ok = false;
	}
	if (!rf->condition.v) {
		asl_problem(c, "missing required field 'Condition'");
		ok = false;
	} else if (!json_is_boolean(rf->condition.v) &&
		   !(json_is_string(rf->condition.v) && asl_is_jx(json_string_value(rf->condition.v)))) {
		asl_problem_at(c, "Condition", rf->condition.pos,
			       "must be true, false or a \"{%% ... %%}\" expression");
		ok = false;
	} else if (!(r->condition = asl_get_jtemplate(c, "Condition", &rf->condition, false))) {
		ok = false;
	}
	if (rf->assign.v && !(r->assign = asl_get_jtemplate(c, "Assign", &rf->assign, true)))
		ok = false;
	if (rf->output.v && !(r->output = asl_get_jtemplate(c, "Output", &rf->output, false)))
		ok = false;
	if (rf->comment.v && !asl_get_string(c, "Comment", &rf->comment, &s))
		ok = false;
	return ok;
}

/* The rule object v at the current path; depth 0 is a top-level rule. */
static bool parse_rule(struct asl_ctx *c, json_t *v, struct asl_rule *r, unsigned depth,
		       const struct asl_machine *m)
{
	struct rule_fields rf;
	const char *s;
	bool ok = true;

	scan_rule(c, v, &rf);
	r->next = ASL_NONE;
	if (c->jsonata)
		return parse_jrule(c, &rf, r, depth, m);
	if (rf.condition.v) {
		asl_problem_at(c, "Condition", rf.condition.pos,
			       "only allowed in a state whose QueryLanguage is \"JSONata\" (use 'Variable' and a comparison operator)");
		ok = false;
	}
	if (rf.output.v) {
		asl_problem_at(c, "Output", rf.output.pos,
			       "only allowed in a state whose QueryLanguage is \"JSONata\"");
		ok = false;
	}
	if (depth == 0) {
		if (!rf.next.v) {
			asl_problem(c, "missing required field 'Next'");
			c->lost_edges++;
			ok = false;
		} else if ((r->next = asl_resolve(c, m, "Next", &rf.next)) == ASL_NONE) {
			ok = false;
		}
		if (rf.assign.v && !(r->assign = asl_get_template(c, "Assign", &rf.assign, true)))
			ok = false;
	} else {
		if (rf.next.v) {
			asl_problem_at(c, "Next", rf.next.pos, "only allowed in a top-level choice rule");
			ok = false;
		}
		if (rf.assign.v) {
			asl_problem_at(c, "Assign", rf.assign.pos, "only allowed in a top-level choice rule");
			ok = false;
		}
	}
	if (rf.comment.v && !asl_get_string(c, "Comment", &rf.comment, &s))
		ok = false;
	if (rf.logic.v)
		return parse_logic(c, &rf, r, depth, m) && ok;
	if (!rf.cmp.v) {
		asl_problem(c, "must have a comparison operator (with 'Variable'), or 'And', 'Or' or 'Not'");
		return false;
	}
	r->kind = ASL_RULE_CMP;
	r->cmp = (enum asl_cmp)rf.cmp_id;
	r->operand = cmps[rf.cmp_id].operand;
	r->by_path = rf.by_path;
	if (!rf.var.v) {
		asl_problem(c, "missing required field 'Variable'");
		ok = false;
	} else {
		struct asl_path p = { 0 };

		if (asl_get_path(c, "Variable", &rf.var, JSONPATH_REFERENCE, false, false, &p)) {
			r->variable = p.jp;
			r->variable_text = p.text;
		} else {
			ok = false;
		}
	}
	return parse_operand(c, &rf, r) && ok;
}

bool asl_get_choices(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st,
		     const struct asl_machine *m)
{
	size_t i, n = json_array_size(f->v);
	bool ok = true;

	if (!json_is_array(f->v) || !n) {
		asl_problem_at(c, "Choices", f->pos, "must be a non-empty array of choice rules");
		c->lost_edges++;
		return false;
	}
	st->choice.rules = asl_alloc(c, n, sizeof *st->choice.rules);
	if (!st->choice.rules)
		return false;
	st->choice.n_rules = n;
	asl_push_key(c, "Choices", f->pos);
	for (i = 0; i < n; i++) {
		json_t *v = json_array_get(f->v, i);

		asl_push_index(c, i);
		st->choice.rules[i].next = ASL_NONE;
		if (!json_is_object(v)) {
			asl_problem(c, "must be a choice rule (an object)");
			c->lost_edges++;
			ok = false;
		} else if (!parse_rule(c, v, &st->choice.rules[i], 0, m)) {
			ok = false;
		}
		asl_pop(c);
		if (c->oom)
			return false;
	}
	asl_pop(c);
	return ok;
}
