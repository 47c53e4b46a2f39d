/* asl_subst — DefinitionSubstitutions, as SAM and CDK apply them before a
 * definition reaches Step Functions: every "${NAME}" in the definition's
 * strings (values and keys) becomes NAME's value; "${!NAME}" is the
 * literal text "${NAME}" (CloudFormation's Fn::Sub escape). The
 * substitution is made on the text, so the definition keeps its layout
 * (DescribeStateMachine shows what was written), with each value escaped
 * as JSON string content. A placeholder no value is given for is reported
 * with the JSON path of the string that holds it, on the parsed original.
 * Everything is bounded: ASL_SUBST_MAX names, ASL_SUBST_VALUE_MAX bytes a
 * value, ASL_DEFINITION_MAX bytes of result, ASL_SUBST_DEPTH_MAX nesting
 * for the walk that locates problems. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "err.h"

#define ASL_SUBST_DEPTH_MAX 256
#define PATH_CAP 1024

void asl_substs_init(struct asl_substs *s)
{
	memset(s, 0, sizeof *s);
}

void asl_substs_free(struct asl_substs *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->names[i]);
		free(s->values[i]);
	}
	free(s->names);
	free(s->values);
	memset(s, 0, sizeof *s);
}

static bool name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == ':';
}

/* The length of a placeholder name at s (up to the '}'), 0 when s does not
 * start one. */
static size_t name_len(const char *s, const char *end)
{
	size_t n = 0;

	while (s + n < end && n <= ASL_SUBST_NAME_MAX && name_char(s[n]))
		n++;
	if (!n || n > ASL_SUBST_NAME_MAX || s + n >= end || s[n] != '}')
		return 0;
	return n;
}

static const char *lookup(const struct asl_substs *s, const char *name, size_t n)
{
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->names[i]) == n && !memcmp(s->names[i], name, n))
			return s->values[i];
	return NULL;
}

static int add(struct asl_substs *s, const char *name, const char *value, bool replace, struct err *e)
{
	size_t n = strlen(name), i;
	json_t *check;

	if (!n || n > ASL_SUBST_NAME_MAX)
		return err_setn(e, "ValidationException", "a substitution name is 1-%d characters", ASL_SUBST_NAME_MAX);
	for (i = 0; i < n; i++)
		if (!name_char(name[i]))
			return err_setn(e, "ValidationException",
					"invalid substitution name '%.100s' (letters, digits, '_', '.' and ':')", name);
	if (strlen(value) > ASL_SUBST_VALUE_MAX)
		return err_setn(e, "ValidationException", "the value of '%.100s' is larger than %d bytes",
				name, ASL_SUBST_VALUE_MAX);
	check = json_string(value);
	if (!check)
		return err_setn(e, "ValidationException", "the value of '%.100s' is not UTF-8 text", name);
	json_decref(check);
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name)) {
			char *v;

			if (!replace)
				return 0;
			v = strdup(value);
			if (!v)
				return err_setn(e, "ServiceException", "out of memory");
			free(s->values[i]);
			s->values[i] = v;
			return 0;
		}
	if (s->n >= ASL_SUBST_MAX)
		return err_setn(e, "ValidationException", "more than %d substitutions", ASL_SUBST_MAX);
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **a = realloc(s->names, cap * sizeof *a), **b;

		if (!a)
			return err_setn(e, "ServiceException", "out of memory");
		s->names = a;
		b = realloc(s->values, cap * sizeof *b);
		if (!b)
			return err_setn(e, "ServiceException", "out of memory");
		s->values = b;
		s->cap = cap;
	}
	s->names[s->n] = strdup(name);
	s->values[s->n] = strdup(value);
	if (!s->names[s->n] || !s->values[s->n]) {
		free(s->names[s->n]);
		free(s->values[s->n]);
		return err_setn(e, "ServiceException", "out of memory");
	}
	s->n++;
	return 0;
}

int asl_substs_add(struct asl_substs *s, const char *name, const char *value, struct err *e)
{
	return add(s, name, value, true, e);
}

int asl_substs_add_json(struct asl_substs *s, json_t *obj, struct err *e)
{
	const char *k;
	json_t *v;

	if (!json_is_object(obj))
		return err_setn(e, "ValidationException",
				"substitutions are a JSON object of NAME: string, number or boolean");
	json_object_foreach(obj, k, v) {
		char num[64];
		const char *val;

		if (json_is_string(v)) {
			val = json_string_value(v);
		} else if (json_is_integer(v)) {
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
			val = num;
		} else if (json_is_real(v)) {
			snprintf(num, sizeof num, "%.17g", json_real_value(v));
			val = num;
		} else if (json_is_boolean(v)) {
			val = json_is_true(v) ? "true" : "false";
		} else {
			return err_setn(e, "ValidationException",
					"the value of '%.100s' must be a string, a number or a boolean", k);
		}
		if (add(s, k, val, true, e))
			return -1;
	}
	return 0;
}

int asl_substs_add_defaults(struct asl_substs *s, const char *region, const char *account, struct err *e)
{
	if (add(s, "AWS::Partition", "aws", false, e) || add(s, "AWS::Region", region, false, e) ||
	    add(s, "AWS::AccountId", account, false, e) ||
	    add(s, "AWS::URLSuffix", "amazonaws.com", false, e))
		return -1;
	return 0;
}

/* ---- problems ---- */

static void diag_add(struct asl_diag *d, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void diag_add(struct asl_diag *d, const char *path, const char *fmt, ...)
{
	char msg[1024], *line;
	char **lines;
	va_list ap;

	d->total++;
	if (d->count >= ASL_DIAG_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	lines = realloc(d->lines, (d->count + 1) * sizeof *lines);
	if (!lines) {
		d->oom = true;
		return;
	}
	d->lines = lines;
	if (asprintf(&line, "%s: %s", path, msg) < 0) {
		d->oom = true;
		return;
	}
	d->lines[d->count++] = line;
}

struct walk {
	const struct asl_substs *s;
	struct asl_diag *d;
	char path[PATH_CAP];
	size_t problems;
};

/* Report each placeholder of `str` that no value is given for. */
static void check_string(struct walk *w, const char *str, size_t len)
{
	const char *p = str, *end = str + len;

	while ((p = memmem(p, (size_t)(end - p), "${", 2))) {
		size_t n = name_len(p + 2, end);

		if (n && !lookup(w->s, p + 2, n)) {
			w->problems++;
			diag_add(w->d, w->path,
				 "unresolved placeholder ${%.*s}: pass --substitute %.*s=VALUE (or --substitutions FILE.json), as SAM's and CDK's DefinitionSubstitutions do",
				 (int)n, p + 2, (int)n, p + 2);
		}
		p += 2 + n;
	}
}

static bool ident(const char *k)
{
	if (!*k || (*k >= '0' && *k <= '9'))
		return false;
	for (; *k; k++)
		if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
			return false;
	return true;
}

static void walk(struct walk *w, json_t *v, unsigned depth)
{
	size_t at = strlen(w->path), i;
	const char *k;
	json_t *x;

	if (depth > ASL_SUBST_DEPTH_MAX)
		return;
	if (json_is_string(v)) {
		check_string(w, json_string_value(v), json_string_length(v));
	} else if (json_is_object(v)) {
		json_object_foreach(v, k, x) {
			if (ident(k))
				snprintf(w->path + at, PATH_CAP - at, ".%.200s", k);
			else
				snprintf(w->path + at, PATH_CAP - at, "['%.200s']", k);
			check_string(w, k, strlen(k));
			walk(w, x, depth + 1);
			w->path[at] = '\0';
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			snprintf(w->path + at, PATH_CAP - at, "[%zu]", i);
			walk(w, x, depth + 1);
			w->path[at] = '\0';
		}
	}
}

/* ---- the substitution ---- */

static bool put(char **b, size_t *n, size_t *cap, const char *s, size_t len)
{
	if (*n + len + 1 > *cap) {
		size_t c = *cap ? *cap : 4096;
		char *nb;

		while (c < *n + len + 1)
			c *= 2;
		nb = realloc(*b, c);
		if (!nb)
			return false;
		*b = nb;
		*cap = c;
	}
	memcpy(*b + *n, s, len);
	*n += len;
	(*b)[*n] = '\0';
	return true;
}

size_t asl_substitute(const char *text, size_t len, const struct asl_substs *s, char **out,
		      size_t *outlen, struct asl_diag *diag)
{
	struct asl_diag local;
	struct asl_diag *d = diag ? diag : &local;
	struct walk w = { .s = s, .d = d, .path = "$" };
	const char *p = text, *end = text + len, *q;
	char *b = NULL;
	size_t n = 0, cap = 0, before;
	json_t *doc;

	if (!diag)
		asl_diag_init(&local);
	before = d->total;
	*out = NULL;
	*outlen = 0;
	/* Placeholders nothing substitutes, located on the original. A text
	 * that is not JSON is left to the compiler to report. */
	doc = json_loadb(text, len, JSON_DECODE_ANY, NULL);
	if (doc) {
		walk(&w, doc, 0);
		json_decref(doc);
	}
	if (w.problems)
		goto out;
	while (p < end && (q = memmem(p, (size_t)(end - p), "${", 2))) {
		size_t nl;
		const char *val;

		if (!put(&b, &n, &cap, p, (size_t)(q - p)))
			goto oom;
		if (q + 2 < end && q[2] == '!' && name_len(q + 3, end)) {
			/* ${!NAME}: the literal ${NAME} */
			if (!put(&b, &n, &cap, "${", 2))
				goto oom;
			p = q + 3;
			continue;
		}
		nl = name_len(q + 2, end);
		val = nl ? lookup(s, q + 2, nl) : NULL;
		if (!val) {
			if (!put(&b, &n, &cap, "${", 2))
				goto oom;
			p = q + 2;
			continue;
		}
		{
			json_t *js = json_string(val);
			char *enc = js ? json_dumps(js, JSON_ENCODE_ANY) : NULL;

			json_decref(js);
			if (!enc || !put(&b, &n, &cap, enc + 1, strlen(enc) - 2)) {
				free(enc);
				goto oom;
			}
			free(enc);
		}
		p = q + 3 + nl;
		if (n > ASL_DEFINITION_MAX)
			break;
	}
	if (n <= ASL_DEFINITION_MAX && p < end && !put(&b, &n, &cap, p, (size_t)(end - p)))
		goto oom;
	if (!b && !put(&b, &n, &cap, "", 0))
		goto oom;
	if (n > ASL_DEFINITION_MAX) {
		diag_add(d, "$", "the definition is larger than %d bytes once substituted", ASL_DEFINITION_MAX);
		free(b);
		goto out;
	}
	*out = b;
	*outlen = n;
	goto out;
oom:
	free(b);
	d->oom = true;
	d->total++;
out:
	{
		size_t problems = d->total - before;

		if (!diag)
			asl_diag_free(&local);
		return problems;
	}
}
