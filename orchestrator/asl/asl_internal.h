/* asl_internal — what the asl_*.c files share while compiling a definition:
 * the compile context (an arena for the model, the JSON path of the value
 * being looked at, the problems found so far) and the parsing helpers.
 * Not part of the orchestrator's API: only asl_*.c include it.
 *
 * Every allocation of the model comes from the arena of the top-level
 * machine (struct asl_owned), together with the list of compiled paths and
 * intrinsics it must free, so a failed compile releases everything at once.
 * Allocation failure sets ctx->oom; callers return early and the compile
 * fails. Not thread-safe: one context per compile. */
#ifndef TUTTI_ASL_INTERNAL_H
#define TUTTI_ASL_INTERNAL_H

#include <stdarg.h>

#include "asl.h"

#define ASL_PROBLEMS_KEEP   10000 /* problems stored before sorting */
#define ASL_RULE_DEPTH_MAX  64    /* And/Or/Not nesting in one rule */
#define ASL_TEMPLATE_DEPTH_MAX 256 /* object/array nesting in a template */
#define ASL_SECONDS_MAX     99999999u
#define ASL_SEG_MAX         4096  /* depth of the JSON path being compiled */

struct asl_chunk;
struct asl_pathent;
struct err;

struct asl_owned {
	struct asl_chunk *chunks;
	json_t *doc;
	struct jsonpath **paths;
	size_t npaths, cappaths;
	struct intrinsic **fns;
	size_t nfns, capfns;
	struct jsonata **jxs;      /* compiled "{% %}" expressions */
	size_t njxs, capjxs;
};

/* One step of the JSON path to the value being compiled. `ord` orders
 * siblings as they appear in the document (key position or array index). */
struct asl_seg {
	const char *key;   /* NULL for an array index */
	size_t index;
	uint32_t ord;
};

struct asl_problem {
	char *line;
	uint32_t *ord;
	size_t nord;
	size_t seq;
};

struct asl_ctx {
	struct asl_owned *own;
	struct asl_seg *seg;     /* ASL_SEG_MAX entries */
	size_t nseg, segover;
	struct asl_problem *probs;
	size_t nprob, capprob, total;
	bool oom;
	/* every state name of every machine, to find duplicates */
	const char **names;
	size_t capnames, nnames;
	unsigned mdepth;         /* machines being compiled, nested */
	size_t lost_edges;       /* transitions that could not be read: the
				  * reachability check would only echo them */
	const char *scope;       /* "branch", "item processor", NULL at top */
	bool m_jsonata;          /* the machine being compiled defaults to JSONata */
	bool jsonata;            /* the state being compiled is a JSONata state */
	/* paths compiled so far, by text and flags, to share one handle */
	struct asl_pathent *pcache;
	size_t cappcache, npcache;
};

/* A field found by asl_scan: its value (NULL when absent) and position. */
struct asl_found {
	json_t *v;
	uint32_t pos;
};

/* ---- asl.c ---- */
void *asl_alloc(struct asl_ctx *c, size_t count, size_t size);
bool asl_own_path(struct asl_ctx *c, struct jsonpath *jp);
bool asl_own_fn(struct asl_ctx *c, struct intrinsic *fn);
bool asl_own_jx(struct asl_ctx *c, struct jsonata *jx);
/* The compiled path for `text` with `flags`, owned by the model: 0 and *out
 * set; -1 when the text is not a valid path (e says why); -ENOMEM. A text
 * seen before yields the same handle (paths are immutable once compiled):
 * definitions repeat a few paths ("$", "$.x") in many states, and each
 * compiled path costs a malloc'd step vector. */
int asl_path_get(struct asl_ctx *c, const char *text, unsigned flags,
		 struct jsonpath **out, struct err *e);

void asl_push_key(struct asl_ctx *c, const char *key, uint32_t ord);
void asl_push_index(struct asl_ctx *c, size_t index);
void asl_pop(struct asl_ctx *c);

/* Record a problem at the current path. */
void asl_problem(struct asl_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Same at field `key` (position `pos`) of the current object. */
void asl_problem_at(struct asl_ctx *c, const char *key, uint32_t pos,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The name among cands[0..n) closest to `word` (a typo: an edit distance of
 * 1 for words of up to 3 characters, 2 up to 6, 3 beyond, and less than the
 * word's length, so 'B' does not suggest 'A'), or NULL. */
const char *asl_suggest(const char *word, const char *const *cands, size_t n);
/* Report `key` as an unknown field of the current object, with the closest
 * of cands[0..n) as a suggestion when there is one. */
void asl_unknown_field(struct asl_ctx *c, const char *key, uint32_t pos, const char *const *cands, size_t n);

/* Register a state name; false if another machine already uses it. */
bool asl_name_add(struct asl_ctx *c, const char *name);

/* Look at the fields of `obj`: found[i] gets the field called names[i].
 * Other fields are reported: names in `jsonata` (NULL-terminated, may be
 * NULL) as JSONata-only, the rest as unknown. */
void asl_scan(struct asl_ctx *c, json_t *obj, const char *const *names, size_t n,
	      const char *const *jsonata, struct asl_found *found);

/* ---- asl_template.c: field values ---- */
/* Each reports a problem at the field (current object, f->pos) and returns
 * false when the value does not fit; `key` names the field. */
bool asl_get_string(struct asl_ctx *c, const char *key, const struct asl_found *f,
		    const char **out);
bool asl_get_uint(struct asl_ctx *c, const char *key, const struct asl_found *f,
		  uint32_t min, uint32_t max, uint32_t *out);
bool asl_get_number(struct asl_ctx *c, const char *key, const struct asl_found *f,
		    double *out);
/* A path field. `flags`: JSONPATH_REFERENCE; `nullable`: null allowed;
 * `input_only`: must be rooted at "$". */
bool asl_get_path(struct asl_ctx *c, const char *key, const struct asl_found *f,
		  unsigned flags, bool nullable, bool input_only, struct asl_path *out);
/* A path or intrinsic call (reference path when `reference`). */
bool asl_get_expr(struct asl_ctx *c, const char *key, const struct asl_found *f,
		  bool reference, struct asl_expr *out);
/* How a language reads a template's leaves, for the walk both share
 * (asl_template_walk). member: an object member that is itself a leaf
 * (JSONPath "key.$"), compiled into f (f->key: the name it sets): 1, 0
 * after a problem, -1 not such a member. string: a string that is an
 * expression (JSONata "{% %}") compiled into t: 1, 0 after a problem, -1 a
 * literal. Either may be NULL. var_ok/var_rule: Assign's variable names
 * and the rule a problem states. */
struct asl_tmpl_rules {
	int (*member)(struct asl_ctx *c, json_t *obj, const char *key, json_t *v,
		      struct asl_tfield *f);
	int (*string)(struct asl_ctx *c, json_t *v, struct asl_template *t);
	bool (*var_ok)(const char *name);
	const char *var_rule;
};
/* A template from the field's value by those rules; `assign`: it must be an
 * object whose keys are variable names. Problems at field `key`; NULL on any. */
struct asl_template *asl_template_walk(struct asl_ctx *c, const char *key,
				       const struct asl_found *f, bool assign,
				       const struct asl_tmpl_rules *r);
/* Letters, digits and '_', not starting with a digit (bytes >= 0x80 count
 * as letters). */
bool asl_var_name_ok(const char *s);
/* A payload template; `assign` checks variable names at its top level. */
struct asl_template *asl_get_template(struct asl_ctx *c, const char *key,
				      const struct asl_found *f, bool assign);
/* Two fields that cannot both be present. */
bool asl_exclusive(struct asl_ctx *c, const char *a, const struct asl_found *fa,
		   const char *b, const struct asl_found *fb);
/* A Task's Resource: a function name or ARN, a service integration ARN or
 * an activity ARN, split into t->kind/function/service/action/pattern. */
bool asl_get_resource(struct asl_ctx *c, const struct asl_found *f, struct asl_task *t);
/* Retry and Catch arrays; catch Next names are resolved by the caller. */
bool asl_get_retry(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st);
bool asl_get_catch(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st,
		   const struct asl_machine *m);

/* ---- asl_jsonata.c: JSONata states ---- */
/* Is s "{% ... %}" (a JSONata expression string)? */
bool asl_is_jx(const char *s);
/* A JSONata template (Arguments, Output, ItemSelector, Items, ...): every
 * "{% %}" string anywhere inside compiled; `assign` checks the top-level
 * keys as variable names. Problems at field `key`; NULL on any. */
struct asl_template *asl_get_jtemplate(struct asl_ctx *c, const char *key,
				       const struct asl_found *f, bool assign);
/* A field that is either "{% %}" (*out set, returns true) or a literal
 * (*out NULL, returns true: the caller checks the literal); false after a
 * problem (a syntax error). */
bool asl_get_jexpr(struct asl_ctx *c, const char *key, const struct asl_found *f,
		   struct asl_template **out);

/* ---- asl_choice.c ---- */
bool asl_get_choices(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st,
		     const struct asl_machine *m);
bool asl_pattern_compile(struct asl_ctx *c, const char *s, size_t len,
			 struct asl_pattern *out);

/* ---- asl_parse.c ---- */
/* The state fields of asl_states.def, as indices of a struct asl_found[]. */
enum asl_fid {
#define ASL_FIELD(id, name, ...) F_##id,
#include "asl_states.def"
#undef ASL_FIELD
	F__COUNT
};
const char *asl_field_name(enum asl_fid id);
enum asl_mkind { ASL_MK_TOP, ASL_MK_BRANCH, ASL_MK_PROCESSOR, ASL_MK_ITERATOR };
/* Compile the machine object `obj` (at the current path). For
 * ASL_MK_PROCESSOR and ASL_MK_ITERATOR, *config gets the ProcessorConfig
 * field. */
struct asl_machine *asl_parse_machine(struct asl_ctx *c, json_t *obj, enum asl_mkind kind,
				      struct asl_found *config);
/* Resolve a transition target in m; reports at field `key` when unknown. */
int asl_resolve(struct asl_ctx *c, const struct asl_machine *m, const char *key,
		const struct asl_found *f);

/* ---- asl_parse_map.c ---- */
/* A Map state's own fields (f: every field of the state, by asl_fid):
 * ItemProcessor, ItemsPath/Items, ItemSelector, the limits, ItemReader,
 * ItemBatcher, ResultWriter. */
bool asl_parse_map(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st);

/* ---- asl_validate.c ---- */
/* Checks on a machine's graph once its states are compiled (the current
 * path is its States object): every state reachable from StartAt (skipped
 * when some transition could not be read: `targets_ok` false) and at least one
 * terminal state (skipped when its states had problems: the problem count
 * moved since `problems_before`). */
void asl_check_graph(struct asl_ctx *c, const struct asl_machine *m,
		     size_t problems_before, bool targets_ok);

#endif
