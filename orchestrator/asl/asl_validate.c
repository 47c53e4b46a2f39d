/* asl_validate — checks on the transition graph of a compiled machine:
 * every state reachable from StartAt, at least one terminal state. Loops
 * are legal in ASL; the walk marks each state once, so it terminates on
 * any graph in O(states + transitions). */
#include <stdlib.h>

#include "asl_internal.h"

static void mark(int to, bool *seen, int *stack, size_t *top)
{
	if (to != ASL_NONE && !seen[to]) {
		seen[to] = true;
		stack[(*top)++] = to;
	}
}

/* Visit the states reachable from m->start; seen[i] tells. */
static bool reach(const struct asl_machine *m, bool *seen)
{
	int *stack = malloc(m->n_states * sizeof *stack);
	size_t top = 0, i;

	if (!stack)
		return false;
	mark(m->start, seen, stack, &top);
	while (top) {
		const struct asl_state *st = &m->states[stack[--top]];

		mark(st->next, seen, stack, &top);
		for (i = 0; i < st->n_catch; i++)
			mark(st->catch_[i].next, seen, stack, &top);
		if (st->type == ASL_CHOICE) {
			mark(st->choice.default_next, seen, stack, &top);
			for (i = 0; i < st->choice.n_rules; i++)
				mark(st->choice.rules[i].next, seen, stack, &top);
		}
	}
	free(stack);
	return true;
}

void asl_check_graph(struct asl_ctx *c, const struct asl_machine *m,
		     size_t problems_before, bool targets_ok)
{
	bool clean = c->total == problems_before, terminal = false;
	bool *seen;
	size_t i;

	for (i = 0; i < m->n_states; i++)
		terminal = terminal || m->states[i].end;
	if (clean && !terminal)
		asl_problem(c, "no terminal state (a state with \"End\": true, or a Succeed or Fail state)");
	if (!targets_ok || m->start == ASL_NONE)
		return;
	seen = calloc(m->n_states, sizeof *seen);
	if (!seen || !reach(m, seen)) {
		free(seen);
		c->oom = true;
		return;
	}
	for (i = 0; i < m->n_states; i++)
		if (!seen[i])
			asl_problem_at(c, m->states[i].name, (uint32_t)i,
				       "state is not reachable from StartAt");
	free(seen);
}
