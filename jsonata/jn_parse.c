/* jn_parse.c: the Pratt parser of parser.js (symbols, binding powers, nud
 * and led of each), building the raw tree that jn_ast.c post-processes.
 * Errors longjmp to jsonata_compile (the tree lives in the compile arena). */
#include <string.h>

#include "jn_ast.h"

/* Binding powers (parser.js `operators`) and which symbols exist. */
struct sym {
	const char *id;
	int lbp;
	unsigned nud : 1; /* has a nud other than the error one */
	unsigned led : 1;
};

static const struct sym symbols[] = {
	{"(end)", 0, 1, 0}, {"(name)", 0, 1, 0}, {"(literal)", 0, 1, 0}, {"(regex)", 0, 1, 0},
	{":", 0, 0, 0},     {";", 0, 0, 0},      {",", 0, 0, 0},         {")", 0, 0, 0},
	{"]", 0, 0, 0},     {"}", 0, 0, 0},      {"..", 0, 0, 0},        {".", 75, 0, 1},
	{"+", 50, 0, 1},    {"-", 50, 1, 1},     {"*", 60, 1, 1},        {"/", 60, 0, 1},
	{"%", 60, 1, 1},    {"=", 40, 0, 1},     {"<", 40, 0, 1},        {">", 40, 0, 1},
	{"!=", 40, 0, 1},   {"<=", 40, 0, 1},    {">=", 40, 0, 1},       {"&", 50, 0, 1},
	{"and", 30, 1, 1},  {"or", 25, 1, 1},    {"in", 40, 1, 1},       {"~>", 40, 0, 1},
	{"??", 40, 0, 1},   {"**", 0, 1, 0},     {"(", 80, 1, 1},        {"[", 80, 1, 1},
	{"^", 40, 0, 1},    {"{", 70, 1, 1},     {":=", 10, 0, 1},       {"@", 80, 0, 1},
	{"#", 80, 0, 1},    {"?", 20, 0, 1},     {"?:", 40, 0, 1},       {"|", 0, 1, 0},
};

static const struct sym *sym_find(const char *p, size_t n)
{
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (strlen(symbols[i].id) == n && memcmp(symbols[i].id, p, n) == 0)
			return &symbols[i];
	return NULL;
}

static int is(const struct jn_node *n, const char *id) { return n->id && strcmp(n->id, id) == 0; }

static int lbp_of(const struct jn_node *n)
{
	const struct sym *s = sym_find(n->id, strlen(n->id));
	return s ? s->lbp : 0;
}

struct jn_node *jn_node_new(struct jn_compile *k, enum jn_nt type)
{
	struct jn_node *n = jn_alloc(k->c, sizeof(*n));
	n->type = type;
	return n;
}

void jn_nodev_push(struct jn_compile *k, struct jn_nodev *v, struct jn_node *n)
{
	if (v->n == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 4;
		v->v = jn_realloc(k->c, v->v, v->cap * sizeof(*v->v), nc * sizeof(*v->v));
		v->cap = nc;
	}
	v->v[v->n++] = n;
}

uint32_t jn_name_hash(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h;
}

/* The token value as a JS value, for error inserts ({{token}}). */
static jv *node_value(struct jn_compile *k, const struct jn_node *n)
{
	if (n->type == NT_NUMBER || n->type == NT_VALUE)
		return n->lit;
	if (n->type == NT_REGEX)
		return jn_obj_new(k->c); /* JSON.stringify(RegExp) is {} */
	if (n->type == NT_END)
		return jn_str_ref(k->c, "(end)", 5);
	if (n->op)
		return jn_cstr(k->c, n->op);
	return jn_str_ref(k->c, n->str.p ? n->str.p : "", n->str.len);
}

/* Raises with the token taken from node n (a string or a JSON value). */
static _Noreturn void fail_at(struct jn_compile *k, const char *code, const struct jn_node *n, jv *value)
{
	k->c->e.token_val = node_value(k, n);
	jn_parse_fail(k, code, n->position, NULL, value);
}

/* advance(id, infix) */
static struct jn_node *advance(struct jn_compile *k, const char *id, int infix)
{
	if (id && !is(k->node, id)) {
		const char *code = is(k->node, "(end)") ? "S0203" : "S0202";
		fail_at(k, code, k->node, jn_cstr(k->c, id));
	}
	struct jn_token t;
	struct jn_node *n;
	if (!jn_lex_next(k, infix, &t)) {
		n = jn_node_new(k, NT_END);
		n->id = "(end)";
		n->op = NULL;
		n->position = jn_lex_u16(k, k->len);
		n->has_position = 1;
		k->node = n;
		return n;
	}
	switch (t.type) {
	case TK_NAME:
	case TK_VARIABLE:
		n = jn_node_new(k, t.type == TK_NAME ? NT_NAME : NT_VARIABLE);
		n->id = "(name)";
		n->str = t.s;
		n->lit = jn_str_ref(k->c, t.s.p, t.s.len);
		n->name_hash = jn_name_hash(t.s.p, t.s.len);
		n->name_z = jn_memdup(k->c, t.s.p, t.s.len);
		if (t.type == TK_VARIABLE)
			n->bi = jn_builtin_find(t.s.p, t.s.len);
		break;
	case TK_OPERATOR: {
		const struct sym *s = sym_find(t.s.p, t.s.len);
		if (!s) {
			k->c->e.token_val = jn_str(k->c, t.s.p, t.s.len);
			jn_parse_fail(k, "S0204", t.position, NULL, NULL);
		}
		n = jn_node_new(k, NT_OPERATOR);
		n->id = s->id;
		n->op = s->id;
		break;
	}
	case TK_STRING:
		n = jn_node_new(k, NT_STRING);
		n->id = "(literal)";
		n->str = t.s;
		n->lit = jn_str_ref(k->c, t.s.p, t.s.len);
		n->name_hash = jn_name_hash(t.s.p, t.s.len); /* a string step becomes a name */
		n->name_z = jn_memdup(k->c, t.s.p, t.s.len);
		break;
	case TK_NUMBER:
		n = jn_node_new(k, NT_NUMBER);
		n->id = "(literal)";
		n->lit = jn_num(k->c, t.num);
		break;
	case TK_VALUE:
		n = jn_node_new(k, NT_VALUE);
		n->id = "(literal)";
		n->lit = t.val;
		n->str = t.s;
		break;
	case TK_REGEX: {
		n = jn_node_new(k, NT_REGEX);
		n->id = "(regex)";
		n->str = t.s;
		char flags[8] = {0};
		size_t fl = t.flags.len < 6 ? t.flags.len : 6;
		memcpy(flags, t.flags.p, fl);
		char eb[256];
		struct jn_regex *re = NULL;
		if (jn_regex_compile(t.s.p, t.s.len, flags, &re, eb, sizeof(eb)) != 0) {
			k->c->e.message = jn_memdup(k->c, eb, strlen(eb));
			jn_parse_fail(k, "S0303", t.position, NULL, NULL);
		}
		if (k->nregex == k->capregex) {
			size_t nc = k->capregex ? k->capregex * 2 : 4;
			k->regexes = jn_realloc(k->c, k->regexes, k->capregex * sizeof(*k->regexes), nc * sizeof(*k->regexes));
			k->capregex = nc;
		}
		k->regexes[k->nregex++] = re;
		n->re = re;
		break;
	}
	default:
		jn_parse_fail(k, "S0205", t.position, NULL, NULL);
	}
	n->position = t.position;
	n->has_position = 1;
	k->node = n;
	return n;
}

static struct jn_node *expression(struct jn_compile *k, int rbp);

static struct jn_node *nud(struct jn_compile *k, struct jn_node *t);
static struct jn_node *led(struct jn_compile *k, struct jn_node *t, struct jn_node *left);

static struct jn_node *expression(struct jn_compile *k, int rbp)
{
	if (++k->depth, jn_parse_too_deep(k))
		jn_parse_fail(k, "U1001", k->node->position, NULL, NULL);
	struct jn_node *t = k->node;
	advance(k, NULL, 1);
	struct jn_node *left = nud(k, t);
	while (rbp < lbp_of(k->node)) {
		t = k->node;
		advance(k, NULL, 0);
		left = led(k, t, left);
	}
	k->depth--;
	return left;
}

/* {pairs} for both the object constructor and group-by */
static struct jn_node *object_parser(struct jn_compile *k, struct jn_node *self, struct jn_node *left)
{
	struct jn_nodev a = {0};
	if (!is(k->node, "}")) {
		for (;;) {
			struct jn_node *n = expression(k, 0);
			advance(k, ":", 0);
			struct jn_node *v = expression(k, 0);
			jn_nodev_push(k, &a, n);
			jn_nodev_push(k, &a, v);
			if (!is(k->node, ","))
				break;
			advance(k, ",", 0);
		}
	}
	advance(k, "}", 1);
	self->pairs = a;
	if (!left) {
		self->type = NT_UNARY;
	} else {
		self->lhs = left;
		self->type = NT_BINARY;
	}
	return self;
}

static struct jn_node *nud(struct jn_compile *k, struct jn_node *t)
{
	const char *id = t->id;
	if (!strcmp(id, "(end)") || !strcmp(id, "(name)") || !strcmp(id, "(literal)") || !strcmp(id, "(regex)") ||
	    !strcmp(id, "and") || !strcmp(id, "or") || !strcmp(id, "in"))
		return t;
	if (!strcmp(id, "-")) {
		t->expression = expression(k, 70);
		t->type = NT_UNARY;
		return t;
	}
	if (!strcmp(id, "*")) {
		t->type = NT_WILDCARD;
		return t;
	}
	if (!strcmp(id, "**")) {
		t->type = NT_DESCENDANT;
		return t;
	}
	if (!strcmp(id, "%")) {
		t->type = NT_PARENT;
		return t;
	}
	if (!strcmp(id, "(")) {
		struct jn_nodev ex = {0};
		while (!is(k->node, ")")) {
			jn_nodev_push(k, &ex, expression(k, 0));
			if (!is(k->node, ";"))
				break;
			advance(k, ";", 0);
		}
		advance(k, ")", 1);
		t->type = NT_BLOCK;
		t->items = ex;
		return t;
	}
	if (!strcmp(id, "[")) {
		struct jn_nodev a = {0};
		if (!is(k->node, "]")) {
			for (;;) {
				struct jn_node *item = expression(k, 0);
				if (is(k->node, "..")) {
					struct jn_node *range = jn_node_new(k, NT_BINARY);
					range->op = "..";
					range->id = "..";
					range->position = k->node->position;
					range->has_position = 1;
					range->lhs = item;
					advance(k, "..", 0);
					range->rhs = expression(k, 0);
					item = range;
				}
				jn_nodev_push(k, &a, item);
				if (!is(k->node, ","))
					break;
				advance(k, ",", 0);
			}
		}
		advance(k, "]", 1);
		t->items = a;
		t->type = NT_UNARY;
		return t;
	}
	if (!strcmp(id, "{"))
		return object_parser(k, t, NULL);
	if (!strcmp(id, "|")) {
		t->type = NT_TRANSFORM;
		t->pattern = expression(k, 0);
		advance(k, "|", 0);
		t->update = expression(k, 0);
		if (is(k->node, ",")) {
			advance(k, ",", 0);
			t->del = expression(k, 0);
		}
		advance(k, "|", 0);
		return t;
	}
	/* base_symbol.nud: a symbol used as a prefix that is not one */
	fail_at(k, "S0211", t, NULL);
}

static struct jn_node *clone_node(struct jn_compile *k, const struct jn_node *n);

static void clone_vec(struct jn_compile *k, struct jn_nodev *dst, const struct jn_nodev *src)
{
	struct jn_nodev v = {0};
	for (size_t i = 0; i < src->n; i++)
		jn_nodev_push(k, &v, clone_node(k, src->v[i]));
	*dst = v;
}

/* JSON.parse(JSON.stringify(node)) of an unprocessed tree (?: and ??). */
static struct jn_node *clone_node(struct jn_compile *k, const struct jn_node *n)
{
	if (!n)
		return NULL;
	struct jn_node *c = jn_node_new(k, n->type);
	*c = *n;
	c->lhs = clone_node(k, n->lhs);
	c->rhs = clone_node(k, n->rhs);
	c->expression = clone_node(k, n->expression);
	c->condition = clone_node(k, n->condition);
	c->then = clone_node(k, n->then);
	c->els = clone_node(k, n->els);
	c->pattern = clone_node(k, n->pattern);
	c->update = clone_node(k, n->update);
	c->del = clone_node(k, n->del);
	c->procedure = clone_node(k, n->procedure);
	c->body = clone_node(k, n->body);
	clone_vec(k, &c->items, &n->items);
	clone_vec(k, &c->pairs, &n->pairs);
	clone_vec(k, &c->stages, &n->stages);
	clone_vec(k, &c->predicate, &n->predicate);
	return c;
}

static void add_sig(struct jn_compile *k, const struct jn_sig *s)
{
	if (k->nsig == k->capsig) {
		size_t nc = k->capsig ? k->capsig * 2 : 4;
		k->sigs = jn_realloc(k->c, k->sigs, k->capsig * sizeof(*k->sigs), nc * sizeof(*k->sigs));
		k->capsig = nc;
	}
	k->sigs[k->nsig++] = s;
}

static struct jn_node *led_call(struct jn_compile *k, struct jn_node *t, struct jn_node *left)
{
	t->procedure = left;
	t->type = NT_FUNCTION;
	struct jn_nodev args = {0};
	if (!is(k->node, ")")) {
		for (;;) {
			if (k->node->type == NT_OPERATOR && is(k->node, "?")) {
				t->type = NT_PARTIAL;
				jn_nodev_push(k, &args, k->node);
				advance(k, "?", 0);
			} else {
				jn_nodev_push(k, &args, expression(k, 0));
			}
			if (!is(k->node, ","))
				break;
			advance(k, ",", 0);
		}
	}
	advance(k, ")", 1);
	t->items = args;
	if (left->type == NT_NAME && ((left->str.len == 8 && !memcmp(left->str.p, "function", 8)) ||
				      (left->str.len == 2 && !memcmp(left->str.p, "\xCE\xBB", 2)))) {
		for (size_t i = 0; i < args.n; i++) {
			if (args.v[i]->type != NT_VARIABLE) {
				k->c->e.token_val = node_value(k, args.v[i]);
				jn_parse_fail(k, "S0208", args.v[i]->position, NULL, jn_num(k->c, (double)(i + 1)));
			}
		}
		t->type = NT_LAMBDA;
		if (is(k->node, "<")) {
			long sigpos = k->node->position;
			struct jn_sb sig;
			jn_sb_init(&sig);
			jn_sb_putc(k->c, &sig, '<');
			int depth = 1;
			while (depth > 0 && !is(k->node, "{") && !is(k->node, "(end)")) {
				struct jn_node *tk = advance(k, NULL, 0);
				if (is(tk, ">"))
					depth--;
				else if (is(tk, "<"))
					depth++;
				/* sig += tok.value */
				if (tk->op)
					jn_sb_puts(k->c, &sig, tk->op);
				else if (tk->type == NT_END)
					jn_sb_puts(k->c, &sig, "(end)");
				else if (tk->type == NT_NUMBER) {
					char nb[40];
					jn_sb_put(k->c, &sig, nb, jn_num_fmt(tk->lit->u.num, nb));
				} else
					jn_sb_put(k->c, &sig, tk->str.p, tk->str.len);
			}
			advance(k, ">", 0);
			const struct jn_sig *s = NULL;
			const char *code = NULL;
			int off = 0;
			if (jn_sig_parse(sig.p, sig.n, &s, &code, &off) != 0) {
				jn_parse_fail(k, code, sigpos + off, NULL, NULL);
			}
			add_sig(k, s);
			t->sig = s;
		}
		advance(k, "{", 0);
		t->body = expression(k, 0);
		advance(k, "}", 0);
	}
	return t;
}

static struct jn_node *led(struct jn_compile *k, struct jn_node *t, struct jn_node *left)
{
	const char *id = t->id;
	if (!strcmp(id, "(")) {
		return led_call(k, t, left);
	}
	if (!strcmp(id, "[")) {
		if (is(k->node, "]")) {
			struct jn_node *step = left;
			while (step && step->type == NT_BINARY && step->op && !strcmp(step->op, "["))
				step = step->lhs;
			step->keep_array = 1;
			advance(k, "]", 0);
			return left;
		}
		t->lhs = left;
		t->rhs = expression(k, 0); /* operators[']'] == 0 */
		t->type = NT_BINARY;
		advance(k, "]", 1);
		return t;
	}
	if (!strcmp(id, "^")) {
		advance(k, "(", 0);
		struct jn_nodev terms = {0};
		for (;;) {
			struct jn_node *term = jn_node_new(k, NT_TERM);
			if (is(k->node, "<")) {
				advance(k, "<", 0);
			} else if (is(k->node, ">")) {
				term->descending = 1;
				advance(k, ">", 0);
			}
			term->expression = expression(k, 0);
			jn_nodev_push(k, &terms, term);
			if (!is(k->node, ","))
				break;
			advance(k, ",", 0);
		}
		advance(k, ")", 0);
		t->lhs = left;
		t->items = terms;
		t->type = NT_BINARY;
		return t;
	}
	if (!strcmp(id, "{"))
		return object_parser(k, t, left);
	if (!strcmp(id, ":=")) {
		if (left->type != NT_VARIABLE)
			fail_at(k, "S0212", left, NULL);
		t->lhs = left;
		t->rhs = expression(k, 10 - 1);
		t->type = NT_BINARY;
		return t;
	}
	if (!strcmp(id, "@") || !strcmp(id, "#")) {
		t->lhs = left;
		t->rhs = expression(k, 80);
		if (t->rhs->type != NT_VARIABLE) {
			k->c->e.token_val = jn_cstr(k->c, id);
			jn_parse_fail(k, "S0214", t->rhs->position, NULL, NULL);
		}
		t->type = NT_BINARY;
		return t;
	}
	if (!strcmp(id, "?")) {
		t->type = NT_CONDITION;
		t->condition = left;
		t->then = expression(k, 0);
		if (is(k->node, ":")) {
			advance(k, ":", 0);
			t->els = expression(k, 0);
		}
		return t;
	}
	if (!strcmp(id, "?:")) {
		t->type = NT_CONDITION;
		t->condition = clone_node(k, left);
		t->then = left;
		t->els = expression(k, 0);
		return t;
	}
	if (!strcmp(id, "??")) {
		t->type = NT_CONDITION;
		struct jn_node *f = jn_node_new(k, NT_FUNCTION);
		f->op = "(";
		f->id = "(";
		struct jn_node *p = jn_node_new(k, NT_VARIABLE);
		p->str.p = "exists";
		p->str.len = 6;
		p->lit = jn_str_ref(k->c, "exists", 6);
		p->name_hash = jn_name_hash("exists", 6);
		p->bi = jn_builtin_find("exists", 6);
		p->name_z = "exists";
		p->id = "(name)";
		f->procedure = p;
		jn_nodev_push(k, &f->items, clone_node(k, left));
		t->condition = f;
		t->then = left;
		t->els = expression(k, 0);
		return t;
	}
	/* the plain left-associative infix operators */
	t->lhs = left;
	t->rhs = expression(k, lbp_of(t));
	t->type = NT_BINARY;
	return t;
}

struct jn_node *jn_parse(struct jn_compile *k)
{
	advance(k, NULL, 0);
	struct jn_node *expr = expression(k, 0);
	if (!is(k->node, "(end)"))
		fail_at(k, "S0201", k->node, NULL);
	return expr;
}
