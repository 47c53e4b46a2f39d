/* asl — compile entry point, the compile context (arena, JSON path of the
 * value being looked at, problems), diag output and the small public
 * helpers. See asl.h and asl_internal.h. */
#include <errno.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl_internal.h"
#include "intrinsics.h"
#include "jsonata.h"
#include "jsonpath.h"
#include "strdist.h"

/* ---- arena ---------------------------------------------------------------- */

#define ASL_CHUNK_SIZE (64 * 1024)

struct asl_chunk {
	struct asl_chunk *next;
	size_t used, size;
	max_align_t data[];
};

void *asl_alloc(struct asl_ctx *c, size_t count, size_t size)
{
	struct asl_owned *o = c->own;
	struct asl_chunk *ch = o->chunks;
	size_t n, a = alignof(max_align_t);
	void *p;

	if (c->oom)
		return NULL;
	if (size && count > SIZE_MAX / 2 / size)
		goto oom;
	n = count * size;
	n = (n + a - 1) / a * a;
	if (!n)
		n = a;
	if (!ch || ch->size - ch->used < n) {
		size_t sz = n > ASL_CHUNK_SIZE ? n : ASL_CHUNK_SIZE;

		ch = malloc(sizeof *ch + sz);
		if (!ch)
			goto oom;
		ch->size = sz;
		ch->used = 0;
		/* A big one-off block goes behind the current chunk so the
		 * current chunk's free space stays usable. */
		if (o->chunks && sz > ASL_CHUNK_SIZE) {
			ch->next = o->chunks->next;
			o->chunks->next = ch;
		} else {
			ch->next = o->chunks;
			o->chunks = ch;
		}
	}
	p = (char *)ch->data + ch->used;
	ch->used += n;
	memset(p, 0, n);
	return p;
oom:
	c->oom = true;
	return NULL;
}

static bool grow(struct asl_ctx *c, void **v, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *nv;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	nv = realloc(*v, ncap * size);
	if (!nv) {
		c->oom = true;
		return false;
	}
	*v = nv;
	*cap = ncap;
	return true;
}

bool asl_own_path(struct asl_ctx *c, struct jsonpath *jp)
{
	struct asl_owned *o = c->own;

	if (!grow(c, (void **)&o->paths, &o->cappaths, o->npaths + 1, sizeof *o->paths)) {
		jsonpath_free(jp);
		return false;
	}
	o->paths[o->npaths++] = jp;
	return true;
}

bool asl_own_fn(struct asl_ctx *c, struct intrinsic *fn)
{
	struct asl_owned *o = c->own;

	if (!grow(c, (void **)&o->fns, &o->capfns, o->nfns + 1, sizeof *o->fns)) {
		intrinsic_free(fn);
		return false;
	}
	o->fns[o->nfns++] = fn;
	return true;
}

bool asl_own_jx(struct asl_ctx *c, struct jsonata *jx)
{
	struct asl_owned *o = c->own;

	if (!grow(c, (void **)&o->jxs, &o->capjxs, o->njxs + 1, sizeof *o->jxs)) {
		jsonata_free(jx);
		return false;
	}
	o->jxs[o->njxs++] = jx;
	return true;
}

static void owned_free(struct asl_owned *o)
{
	struct asl_chunk *ch, *next;
	size_t i;

	if (!o)
		return;
	for (i = 0; i < o->npaths; i++)
		jsonpath_free(o->paths[i]);
	for (i = 0; i < o->nfns; i++)
		intrinsic_free(o->fns[i]);
	for (i = 0; i < o->njxs; i++)
		jsonata_free(o->jxs[i]);
	free(o->paths);
	free(o->fns);
	free(o->jxs);
	for (ch = o->chunks; ch; ch = next) {
		next = ch->next;
		free(ch);
	}
	json_decref(o->doc);
	free(o);
}

/* ---- the JSON path being compiled ---------------------------------------- */

/* The stack is allocated once (ASL_SEG_MAX); JSON nesting is capped well
 * below by jansson (2048), so the overflow count only guards the pairing. */
void asl_push_key(struct asl_ctx *c, const char *key, uint32_t ord)
{
	if (c->nseg >= ASL_SEG_MAX) {
		c->segover++;
		return;
	}
	c->seg[c->nseg++] = (struct asl_seg){ .key = key, .ord = ord };
}

void asl_push_index(struct asl_ctx *c, size_t index)
{
	if (c->nseg >= ASL_SEG_MAX) {
		c->segover++;
		return;
	}
	c->seg[c->nseg++] = (struct asl_seg){ .index = index,
		.ord = index > UINT32_MAX ? UINT32_MAX : (uint32_t)index };
}

void asl_pop(struct asl_ctx *c)
{
	if (c->segover)
		c->segover--;
	else if (c->nseg)
		c->nseg--;
}

static bool ident(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* Append s to b (at most `max` input bytes, cut at a UTF-8 boundary),
 * escaping control characters, and `quote` and '\' when quote != 0. */
static void put_escaped(char *b, size_t cap, size_t *n, const char *s, size_t max, char quote)
{
	size_t len = strlen(s), i;

	if (len > max) {
		len = max;
		while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	for (i = 0; i < len && *n + 8 < cap; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f)
			*n += (size_t)snprintf(b + *n, cap - *n, "\\u%04x", ch);
		else if (quote && (ch == (unsigned char)quote || ch == '\\'))
			*n += (size_t)snprintf(b + *n, cap - *n, "\\%c", ch);
		else
			b[(*n)++] = (char)ch;
	}
	if (len < strlen(s) && *n + 4 < cap) {
		memcpy(b + *n, "...", 3);
		*n += 3;
	}
	b[*n] = '\0';
}

static void format_path(const struct asl_ctx *c, char *b, size_t cap, size_t *n)
{
	size_t i;

	b[(*n)++] = '$';
	b[*n] = '\0';
	for (i = 0; i < c->nseg && *n + 16 < cap; i++) {
		const struct asl_seg *s = &c->seg[i];

		if (!s->key) {
			*n += (size_t)snprintf(b + *n, cap - *n, "[%zu]", s->index);
		} else if (ident(s->key) && strlen(s->key) <= 200) {
			*n += (size_t)snprintf(b + *n, cap - *n, ".%s", s->key);
		} else {
			b[(*n)++] = '[';
			b[(*n)++] = '\'';
			put_escaped(b, cap - 3, n, s->key, 200, '\'');
			b[(*n)++] = '\'';
			b[(*n)++] = ']';
			b[*n] = '\0';
		}
	}
	if (*n >= cap)
		*n = cap - 1;
}

static void vproblem(struct asl_ctx *c, const char *fmt, va_list ap)
{
	char msg[1024], line[4096];
	struct asl_problem *p;
	size_t n = 0, i;

	c->total++;
	if (c->oom || c->nprob >= ASL_PROBLEMS_KEEP)
		return;
	if (!grow(c, (void **)&c->probs, &c->capprob, c->nprob + 1, sizeof *c->probs))
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	format_path(c, line, sizeof line - 8, &n);
	line[n++] = ':';
	line[n++] = ' ';
	line[n] = '\0';
	put_escaped(line, sizeof line, &n, msg, sizeof msg, 0);
	p = &c->probs[c->nprob];
	p->line = strdup(line);
	p->ord = malloc((c->nseg ? c->nseg : 1) * sizeof *p->ord);
	if (!p->line || !p->ord) {
		free(p->line);
		free(p->ord);
		c->oom = true;
		return;
	}
	for (i = 0; i < c->nseg; i++)
		p->ord[i] = c->seg[i].ord;
	p->nord = c->nseg;
	p->seq = c->nprob;
	c->nprob++;
}

void asl_problem(struct asl_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(c, fmt, ap);
	va_end(ap);
}

void asl_problem_at(struct asl_ctx *c, const char *key, uint32_t pos, const char *fmt, ...)
{
	va_list ap;

	asl_push_key(c, key, pos);
	va_start(ap, fmt);
	vproblem(c, fmt, ap);
	va_end(ap);
	asl_pop(c);
}

static int problem_cmp(const void *a, const void *b)
{
	const struct asl_problem *x = a, *y = b;
	size_t i;

	for (i = 0; i < x->nord && i < y->nord; i++)
		if (x->ord[i] != y->ord[i])
			return x->ord[i] < y->ord[i] ? -1 : 1;
	if (x->nord != y->nord)
		return x->nord < y->nord ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- state names across all machines ------------------------------------ */

static size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603ull & SIZE_MAX;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (1099511628211ull & SIZE_MAX);
	return h;
}

static bool names_insert(const char **tab, size_t cap, const char *name)
{
	size_t i = name_hash(name) & (cap - 1);

	while (tab[i]) {
		if (!strcmp(tab[i], name))
			return false;
		i = (i + 1) & (cap - 1);
	}
	tab[i] = name;
	return true;
}

bool asl_name_add(struct asl_ctx *c, const char *name)
{
	size_t i;

	if ((c->nnames + 1) * 2 > c->capnames) {
		size_t ncap = c->capnames ? c->capnames * 2 : 256;
		const char **nt = calloc(ncap, sizeof *nt);

		if (!nt) {
			c->oom = true;
			return true;
		}
		for (i = 0; i < c->capnames; i++)
			if (c->names[i])
				names_insert(nt, ncap, c->names[i]);
		free(c->names);
		c->names = nt;
		c->capnames = ncap;
	}
	if (!names_insert(c->names, c->capnames, name))
		return false;
	c->nnames++;
	return true;
}

/* ---- compiled paths, shared by text ---------------------------------------- */

struct asl_pathent {
	const char *text;        /* borrowed from the document */
	unsigned flags;
	struct jsonpath *jp;     /* owned by c->own */
};

static struct asl_pathent *pcache_slot(struct asl_pathent *tab, size_t cap,
				       const char *text, unsigned flags)
{
	size_t i = (name_hash(text) ^ flags) & (cap - 1);

	while (tab[i].text && (tab[i].flags != flags || strcmp(tab[i].text, text)))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

/* Room for one more entry; false (and no cache) when memory is short. */
static bool pcache_grow(struct asl_ctx *c)
{
	struct asl_pathent *nt;
	size_t ncap, i;

	if ((c->npcache + 1) * 2 <= c->cappcache)
		return true;
	ncap = c->cappcache ? c->cappcache * 2 : 64;
	nt = calloc(ncap, sizeof *nt);
	if (!nt)
		return false;
	for (i = 0; i < c->cappcache; i++)
		if (c->pcache[i].text)
			*pcache_slot(nt, ncap, c->pcache[i].text, c->pcache[i].flags) = c->pcache[i];
	free(c->pcache);
	c->pcache = nt;
	c->cappcache = ncap;
	return true;
}

int asl_path_get(struct asl_ctx *c, const char *text, unsigned flags,
		 struct jsonpath **out, struct err *e)
{
	struct asl_pathent *slot = NULL;
	struct jsonpath *jp;

	if (c->cappcache) {
		slot = pcache_slot(c->pcache, c->cappcache, text, flags);
		if (slot->text) {
			*out = slot->jp;
			return 0;
		}
	}
	jp = jsonpath_compile(text, flags, e);
	if (!jp)
		return -1;
	if (!asl_own_path(c, jp))
		return -ENOMEM;
	/* Growing moves the entries: find the slot again. */
	if (pcache_grow(c)) {
		slot = pcache_slot(c->pcache, c->cappcache, text, flags);
		*slot = (struct asl_pathent){ text, flags, jp };
		c->npcache++;
	}
	*out = jp;
	return 0;
}

/* ---- field scanning -------------------------------------------------------- */

const char *asl_suggest(const char *word, const char *const *cands, size_t n)
{
	size_t len = strlen(word), best_d = (size_t)-1, limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	const char *best = NULL;

	if (!len)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t d = strdist(word, cands[i]);

		if (d <= limit && d < len && d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best;
}

void asl_unknown_field(struct asl_ctx *c, const char *key, uint32_t pos, const char *const *cands, size_t n)
{
	const char *s = asl_suggest(key, cands, n);

	if (s)
		asl_problem_at(c, key, pos, "unknown field (did you mean '%s'?)", s);
	else
		asl_problem_at(c, key, pos, "unknown field");
}

void asl_scan(struct asl_ctx *c, json_t *obj, const char *const *names, size_t n,
	      const char *const *jsonata, struct asl_found *found)
{
	const char *key;
	json_t *v;
	uint32_t pos = 0;
	size_t i;

	memset(found, 0, n * sizeof *found);
	json_object_foreach(obj, key, v) {
		for (i = 0; i < n; i++)
			if (!strcmp(key, names[i]))
				break;
		if (i < n) {
			found[i].v = v;
			found[i].pos = pos;
		} else {
			const char *const *j = jsonata;

			while (j && *j && strcmp(*j, key))
				j++;
			if (j && *j)
				asl_problem_at(c, key, pos, "only allowed in a state whose QueryLanguage is \"JSONata\"");
			else
				asl_unknown_field(c, key, pos, names, n);
		}
		pos++;
	}
}

/* ---- diag ------------------------------------------------------------------ */

void asl_diag_init(struct asl_diag *d)
{
	memset(d, 0, sizeof *d);
}

void asl_diag_free(struct asl_diag *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->count; i++)
		free(d->lines[i]);
	free(d->lines);
	memset(d, 0, sizeof *d);
}

/* Sort the problems and hand the first ASL_DIAG_MAX to d. */
static void finish_diag(struct asl_ctx *c, struct asl_diag *d)
{
	size_t i, keep;

	if (c->nprob)
		qsort(c->probs, c->nprob, sizeof *c->probs, problem_cmp);
	keep = c->nprob < ASL_DIAG_MAX ? c->nprob : ASL_DIAG_MAX;
	if (d) {
		asl_diag_free(d);
		d->total = c->total;
		d->oom = c->oom;
		if (keep) {
			d->lines = calloc(keep, sizeof *d->lines);
			if (!d->lines)
				d->oom = true;
		}
	}
	for (i = 0; i < c->nprob; i++) {
		if (d && d->lines && i < keep) {
			d->lines[d->count++] = c->probs[i].line;
			c->probs[i].line = NULL;
		}
		free(c->probs[i].line);
		free(c->probs[i].ord);
	}
	free(c->probs);
	c->probs = NULL;
	c->nprob = 0;
}

/* ---- entry points ----------------------------------------------------------- */

struct asl_machine *asl_compile(const char *text, size_t len, struct asl_diag *diag)
{
	struct asl_ctx c = { 0 };
	struct asl_machine *m = NULL;
	json_error_t jerr;
	json_t *doc;

	c.own = calloc(1, sizeof *c.own);
	c.seg = malloc(ASL_SEG_MAX * sizeof *c.seg);
	if (!c.own || !c.seg) {
		c.oom = true;
		goto out;
	}
	if (!text) {
		asl_problem(&c, "no definition");
		goto out;
	}
	if (len > ASL_DEFINITION_MAX) {
		asl_problem(&c, "definition is larger than %d bytes", ASL_DEFINITION_MAX);
		goto out;
	}
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		asl_problem(&c, "invalid JSON: %s (line %d, column %d)", jerr.text,
			    jerr.line, jerr.column);
		goto out;
	}
	c.own->doc = doc;
	if (!json_is_object(doc)) {
		asl_problem(&c, "must be a JSON object");
		goto out;
	}
	m = asl_parse_machine(&c, doc, ASL_MK_TOP, NULL);
	if (m && !c.total && !c.oom) {
		m->owned = c.own;
		c.own = NULL;
	} else {
		m = NULL;
	}
out:
	if (c.oom && !c.total)
		c.total = 1;
	finish_diag(&c, diag);
	owned_free(c.own);
	free(c.seg);
	free(c.names);
	free(c.pcache);
	return m;
}

void asl_machine_free(struct asl_machine *m)
{
	if (m)
		owned_free(m->owned);  /* the machine itself lives in the arena */
}

size_t asl_validate(const char *text, size_t len, struct asl_diag *diag)
{
	struct asl_diag local, *d = diag ? diag : &local;
	struct asl_machine *m;
	size_t n;

	asl_diag_init(&local);
	m = asl_compile(text, len, d);
	n = m ? 0 : (d->total ? d->total : 1);
	asl_machine_free(m);
	asl_diag_free(&local);
	return n;
}

int asl_find_state(const struct asl_machine *m, const char *name)
{
	size_t lo = 0, hi = m->n_states;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(m->states[m->by_name[mid]].name, name);

		if (!r)
			return m->by_name[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return ASL_NONE;
}

static const char *const type_names[] = {
#define ASL_TYPE(id, name) name,
#include "asl_states.def"
#undef ASL_TYPE
};

static const char *const cmp_names[] = {
#define ASL_CMP(id, name, operand, has_path) name,
#include "asl_states.def"
#undef ASL_CMP
};

const char *asl_type_name(enum asl_type t)
{
	return (unsigned)t < ASL_TYPE__COUNT ? type_names[t] : "?";
}

const char *asl_cmp_name(enum asl_cmp cmp)
{
	return (unsigned)cmp < ASL_CMP__COUNT ? cmp_names[cmp] : "?";
}

bool asl_errors_match(const struct asl_errors *e, const char *name)
{
	bool terminal = !strcmp(name, "States.Runtime") ||
			!strcmp(name, "States.DataLimitExceeded");
	size_t i;

	if (e->all)
		return !terminal;
	for (i = 0; i < e->n; i++) {
		if (!strcmp(e->names[i], name))
			return true;
		if (!strcmp(e->names[i], "States.TaskFailed") && !terminal &&
		    strcmp(name, "States.Timeout"))
			return true;
	}
	return false;
}
