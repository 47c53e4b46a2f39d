/* libFuzzer target for the ASL parser/validator: the input is a state
 * machine definition as raw bytes. A compiled machine is walked (every
 * state, rule, retrier, catcher, template, nested machine) so that a
 * dangling pointer in the model shows up under ASan; problem lines must
 * each be one line starting with "$".
 *   make fuzz && build/fuzz/fuzz_asl -dict=fuzz/fuzz_asl.dict CORPUS tests/data/asl/valid */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sink;

static void walk_template(const struct asl_template *t, unsigned depth)
{
	size_t i;

	if (!t || depth > 300)
		return;
	sink += t->kind;
	if (t->kind == ASL_T_LITERAL)
		sink += json_typeof(t->literal);
	else if (t->kind == ASL_T_EXPR)
		sink += strlen(t->expr.text);
	for (i = 0; t->kind == ASL_T_OBJECT && i < t->n; i++) {
		sink += strlen(t->fields[i].key);
		walk_template(&t->fields[i].value, depth + 1);
	}
	for (i = 0; t->kind == ASL_T_ARRAY && i < t->n; i++)
		walk_template(&t->items[i], depth + 1);
}

static void walk_rule(const struct asl_rule *r, size_t nstates)
{
	size_t i;

	if (r->next != ASL_NONE && (size_t)r->next >= nstates)
		abort();
	walk_template(r->assign, 0);
	for (i = 0; i < r->n; i++)
		walk_rule(&r->subs[i], nstates);
	if (r->kind == ASL_RULE_CMP && r->operand == ASL_OPD_PATTERN)
		sink += asl_pattern_match(&r->pattern, "log-2020.txt", 12);
}

static void walk_machine(const struct asl_machine *m)
{
	size_t i, k;

	if (m->start < 0 || (size_t)m->start >= m->n_states)
		abort();
	for (i = 0; i < m->n_states; i++) {
		const struct asl_state *st = &m->states[i];

		if (asl_find_state(m, st->name) != (int)i)
			abort();
		if (st->next != ASL_NONE && (size_t)st->next >= m->n_states)
			abort();
		walk_template(st->parameters, 0);
		walk_template(st->result_selector, 0);
		walk_template(st->assign, 0);
		for (k = 0; k < st->n_retry; k++)
			sink += asl_errors_match(&st->retry[k].errors, "States.TaskFailed");
		for (k = 0; k < st->n_catch; k++) {
			if ((size_t)st->catch_[k].next >= m->n_states)
				abort();
			walk_template(st->catch_[k].assign, 0);
		}
		switch (st->type) {
		case ASL_CHOICE:
			for (k = 0; k < st->choice.n_rules; k++)
				walk_rule(&st->choice.rules[k], m->n_states);
			break;
		case ASL_PARALLEL:
			for (k = 0; k < st->parallel.n_branches; k++)
				walk_machine(st->parallel.branches[k]);
			break;
		case ASL_MAP:
			walk_template(st->map.item_selector, 0);
			walk_machine(st->map.processor);
			break;
		case ASL_TASK:
			sink += strlen(st->task.resource);
			walk_template(st->task.credentials, 0);
			break;
		default:
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct asl_diag d;
	struct asl_machine *m;
	size_t i;

	asl_diag_init(&d);
	m = asl_compile((const char *)data, size, &d);
	if (m) {
		if (d.count)
			abort();
		walk_machine(m);
	} else if (!d.oom && (!d.count || d.total < d.count)) {
		abort();
	}
	for (i = 0; i < d.count; i++)
		if (d.lines[i][0] != '$' || strchr(d.lines[i], '\n'))
			abort();
	asl_machine_free(m);
	asl_diag_free(&d);
	return 0;
}
