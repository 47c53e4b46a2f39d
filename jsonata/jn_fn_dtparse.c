/* jn_fn_dtparse.c: $toMillis's parsing (jn_fn_dt.h): without a picture,
 * the reference's ISO 8601 check and then what V8's Date.parse gives for
 * the text; with one, datetime.js parseDateTime: the same regular
 * expression the reference builds from the picture (PCRE2,
 * case-insensitive), the same rules for the components left out.
 *
 * Thread-safety: none needed (the evaluation's arena; a PCRE2 pattern
 * compiled for a picture is freed before anything else is allocated). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jn_fn_dt.h"

/* ---------------------------------------------------------------- */
/* $toMillis without a picture: the ISO 8601 check and Date.parse    */
/* ---------------------------------------------------------------- */

static int is_d(const char *s, size_t n, size_t i)
{
	return i < n && s[i] >= '0' && s[i] <= '9';
}

/* The reference's
 * ^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$
 * as a backtracking matcher over its optional groups. */
static int iso_re_from(const char *s, size_t n, size_t i, int group)
{
	if (group == 5)
		return i == n;
	size_t j = i;
	int took = 0;
	switch (group) {
	case 0: /* -[01]\d */
		if (j + 3 <= n && s[j] == '-' && (s[j + 1] == '0' || s[j + 1] == '1') && is_d(s, n, j + 2)) {
			j += 3;
			took = 1;
		}
		break;
	case 1: /* -[0-3]\d */
		if (j + 3 <= n && s[j] == '-' && s[j + 1] >= '0' && s[j + 1] <= '3' && is_d(s, n, j + 2)) {
			j += 3;
			took = 1;
		}
		break;
	case 2: /* T[0-2]\d:[0-5]\d:[0-5]\d */
		if (j + 9 <= n && s[j] == 'T' && s[j + 1] >= '0' && s[j + 1] <= '2' && is_d(s, n, j + 2) &&
		    s[j + 3] == ':' && s[j + 4] >= '0' && s[j + 4] <= '5' && is_d(s, n, j + 5) && s[j + 6] == ':' &&
		    s[j + 7] >= '0' && s[j + 7] <= '5' && is_d(s, n, j + 8)) {
			j += 9;
			took = 1;
		}
		break;
	case 3: /* \.\d+ (greedy; what follows never starts with a digit) */
		if (j + 2 <= n && s[j] == '.' && is_d(s, n, j + 1)) {
			j += 2;
			while (is_d(s, n, j))
				j++;
			took = 1;
		}
		break;
	case 4: /* [+-][0-2]\d:?[0-5]\d | Z */
		if (j < n && s[j] == 'Z') {
			j++;
			took = 1;
		} else if (j + 3 <= n && (s[j] == '+' || s[j] == '-') && s[j + 1] >= '0' && s[j + 1] <= '2' &&
			   is_d(s, n, j + 2)) {
			size_t k = j + 3;
			if (k + 3 <= n && s[k] == ':' && s[k + 1] >= '0' && s[k + 1] <= '5' && is_d(s, n, k + 2)) {
				j = k + 3;
				took = 1;
			} else if (k + 2 <= n && s[k] >= '0' && s[k] <= '5' && is_d(s, n, k + 1)) {
				j = k + 2;
				took = 1;
			}
		}
		break;
	}
	if (took && iso_re_from(s, n, j, group + 1))
		return 1;
	return iso_re_from(s, n, i, group + 1);
}

int jn_dt_iso_re(const char *s, size_t n)
{
	if (n < 4 || !is_d(s, n, 0) || !is_d(s, n, 1) || !is_d(s, n, 2) || !is_d(s, n, 3))
		return 0;
	return iso_re_from(s, n, 4, 0);
}

static int two(const char *s, size_t i)
{
	return (s[i] - '0') * 10 + (s[i + 1] - '0');
}

/* What V8's Date.parse gives for a string the regular expression accepted
 * (times without an offset as UTC). NaN for an invalid date. */
double jn_dt_iso_parse(const char *s, size_t n)
{
	size_t i = 4;
	double y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int mon = -1, day = -1;
	if (i + 3 <= n && s[i] == '-' && is_d(s, n, i + 1) && is_d(s, n, i + 2)) {
		mon = two(s, i + 1);
		i += 3;
		if (i + 3 <= n && s[i] == '-' && is_d(s, n, i + 1) && is_d(s, n, i + 2)) {
			day = two(s, i + 1);
			i += 3;
		}
	}
	int has_time = 0, hh = 0, mm = 0, ss = 0;
	if (i < n && s[i] == 'T') {
		if (i + 9 > n)
			return NAN;
		hh = two(s, i + 1);
		mm = two(s, i + 4);
		ss = two(s, i + 7);
		has_time = 1;
		i += 9;
	}
	int has_frac = 0, frac_zero = 1;
	double ms = 0, fint = 0;
	size_t fdig = 0;
	if (i < n && s[i] == '.') {
		i++;
		size_t f0 = i;
		while (is_d(s, n, i))
			i++;
		fdig = i - f0;
		if (fdig == 0)
			return NAN;
		has_frac = 1;
		for (size_t k = 0; k < 3; k++)
			ms = ms * 10 + (k < fdig ? s[f0 + k] - '0' : 0);
		for (size_t k = 0; k < fdig && k < 12; k++)
			fint = fint * 10 + (s[f0 + k] - '0');
		for (size_t k = 0; k < fdig; k++)
			if (s[f0 + k] != '0')
				frac_zero = 0;
		if (fdig >= 12)
			fint = 1e12; /* no valid month or day */
	}
	int tz = 0; /* 0 none, 1 Z, 2 numeric */
	double tzmin = 0;
	if (i < n && s[i] == 'Z') {
		tz = 1;
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i] == '-' ? -1 : 1;
		if (i + 3 > n)
			return NAN;
		int th = two(s, i + 1), tm;
		i += 3;
		if (i < n && s[i] == ':')
			i++;
		if (i + 2 > n)
			return NAN;
		tm = two(s, i);
		i += 2;
		if (th > 23 || tm > 59)
			return NAN;
		tz = 2;
		tzmin = sign * (th * 60 + tm);
	}
	if (i != n)
		return NAN;
	if (has_time) {
		int m = mon < 0 ? 1 : mon, d = day < 0 ? 1 : day;
		if (m < 1 || m > 12 || d < 1 || d > 31)
			return NAN;
		if (hh > 24 || mm > 59 || ss > 59 || (hh == 24 && (mm || ss || !frac_zero)))
			return NAN;
		double t = jn_dt_date_fields(y, m - 1, d, hh, mm, ss, ms);
		return jn_dt_time_clip(t - tzmin * 60000.0);
	}
	/* date-only forms: no numeric offset (V8's legacy parser refuses it) */
	if (tz == 2)
		return NAN;
	int m = mon < 0 ? 1 : mon, d = day < 0 ? 1 : day;
	if (has_frac) {
		/* V8's legacy parser reads "2017.5" as May 2017, "2017-07.5"
		 * as 5 July 2017: the fraction is the next field */
		if (day >= 0)
			return NAN;
		if (mon < 0)
			m = (int)(fint > 1e6 ? 1e6 : fint), d = 1;
		else
			d = (int)(fint > 1e6 ? 1e6 : fint);
	}
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return NAN;
	return jn_dt_date_fields(y, m - 1, d, 0, 0, 0, 0);
}

/* ---------------------------------------------------------------- */
/* $toMillis with a picture (datetime.js parseDateTime)              */
/* ---------------------------------------------------------------- */

/* wordValues, in its insertion order (the alternation order of the words
 * regular expression) */
struct wordval {
	const char *w;
	double v;
};

static size_t word_values(struct wordval *o)
{
	static const char *const fewl[] = {"zero",	"one",	    "two",	"three",    "four",
					   "five",	"six",	    "seven",	"eight",    "nine",
					   "ten",	"eleven",   "twelve",	"thirteen", "fourteen",
					   "fifteen",	"sixteen",  "seventeen", "eighteen", "nineteen"};
	static const char *const ordl[] = {"zeroth",	 "first",      "second",     "third",	  "fourth",
					   "fifth",	 "sixth",      "seventh",    "eighth",	  "ninth",
					   "tenth",	 "eleventh",   "twelfth",    "thirteenth", "fourteenth",
					   "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"};
	static const char *const decl[] = {"twenty",  "twentieth", "thirty", "thirtieth", "forty",   "fortieth",
					   "fifty",   "fiftieth",  "sixty",  "sixtieth",  "seventy", "seventieth",
					   "eighty",  "eightieth", "ninety", "ninetieth", "hundred", "hundreieth"};
	static const char *const magl[] = {"thousand", "thousandth", "million",	 "millionth",
					   "billion",  "billionth",  "trillion", "trillionth"};
	size_t k = 0;
	for (int i = 0; i < 20; i++)
		o[k++] = (struct wordval){fewl[i], i};
	for (int i = 0; i < 20; i++)
		o[k++] = (struct wordval){ordl[i], i};
	for (int i = 0; i < 18; i++)
		o[k++] = (struct wordval){decl[i], (i / 2 + 2) * 10};
	o[k++] = (struct wordval){"hundredth", 100};
	for (int i = 0; i < 8; i++)
		o[k++] = (struct wordval){magl[i], pow(10, (i / 2 + 1) * 3)};
	return k;
}

#define NWORDS 67

/* One part's matcher: how its captured text becomes a value. */
enum { M_NONE, M_TZ, M_FRAC, M_INT, M_NAME };

struct mpart {
	int kind;
	uint32_t comp;
	const struct dpart *p;
	const struct jn_intpic *f; /* M_INT */
	uint32_t sep;	      /* M_TZ: the separator, 0 none */
};

static void re_escape_literal(struct jn_ctx *c, struct jn_sb *b, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strchr(".*+?^${}()|[]\\", p[i]) && p[i])
			jn_sb_putc(c, b, '\\');
		jn_sb_putc(c, b, p[i]);
	}
}

/* generateRegex() for an integer format: appended to b. 0 or -1. */
static int int_regex(struct jn_ctx *c, struct jn_sb *b, const struct jn_intpic *f)
{
	int upper = f->tcase == TC_UPPER;
	switch (f->primary) {
	case JN_INT_LETTERS:
		jn_sb_puts(c, b, upper ? "[A-Z]+" : "[a-z]+");
		return 0;
	case JN_INT_ROMAN:
		jn_sb_puts(c, b, upper ? "[MDCLXVI]+" : "[mdclxvi]+");
		return 0;
	case JN_INT_WORDS: {
		struct wordval wv[NWORDS];
		size_t k = word_values(wv);
		jn_sb_puts(c, b, "(?:");
		for (size_t i = 0; i < k; i++) {
			jn_sb_puts(c, b, wv[i].w);
			jn_sb_putc(c, b, '|');
		}
		jn_sb_puts(c, b, "and|[\\-, ])+");
		return 0;
	}
	case JN_INT_DECIMAL:
		jn_sb_puts(c, b, "[0-9]");
		if (f->has_parse_width && f->parse_width != 0 && !isnan(f->parse_width)) {
			char num[40];
			size_t l = jn_num_fmt(f->parse_width, num);
			jn_sb_putc(c, b, '{');
			jn_sb_put(c, b, num, l);
			jn_sb_putc(c, b, '}');
		} else {
			jn_sb_putc(c, b, '+');
		}
		if (f->ordinal)
			jn_sb_puts(c, b, "(?:th|st|nd|rd)");
		return 0;
	default:
		return jn_throw(c, "D3130", -1, NULL, jn_str(c, f->token, f->token_len));
	}
}

static double parse_int_part(struct jn_ctx *c, const struct jn_intpic *f, const char *s, size_t n)
{
	switch (f->primary) {
	case JN_INT_LETTERS: {
		/* lettersToDecimal over UTF-16 units */
		struct u16 u = {0};
		u16_from_utf8(c, &u, s, n);
		double a = f->tcase == TC_UPPER ? 'A' : 'a', dec = 0;
		for (size_t i = 0; i < u.n; i++)
			dec += ((double)u.p[u.n - i - 1] - a + 1) * pow(26, (double)i);
		return dec;
	}
	case JN_INT_ROMAN: {
		double dec = 0, max = 1;
		int max_undef = 0;
		for (size_t i = n; i-- > 0;) {
			char ch = s[i];
			if (f->tcase != TC_UPPER && ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 32);
			double v;
			switch (ch) {
			case 'M': v = 1000; break;
			case 'D': v = 500; break;
			case 'C': v = 100; break;
			case 'L': v = 50; break;
			case 'X': v = 10; break;
			case 'V': v = 5; break;
			case 'I': v = 1; break;
			default: v = NAN; break;
			}
			/* undefined < max is false: max becomes undefined and the
			 * sum NaN */
			if (!isnan(v) && !max_undef && v < max) {
				dec -= v;
			} else {
				if (isnan(v))
					max_undef = 1;
				else
					max_undef = 0;
				max = v;
				dec += v;
			}
		}
		return dec;
	}
	case JN_INT_WORDS: {
		char *l = jn_alloc_raw(c, n + 1);
		for (size_t i = 0; i < n; i++)
			l[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
		return jn_words_to_number(c, l, n);
	}
	default: { /* JN_INT_DECIMAL */
		size_t end = n;
		if (f->ordinal)
			end = n >= 2 ? n - 2 : 0;
		char *d = jn_alloc_raw(c, end + 1);
		size_t k = 0;
		for (size_t i = 0; i < end;) {
			size_t j = i;
			uint32_t cp = jn_utf8_next(s, end, &j);
			int drop = 0;
			if (f->regular == 1)
				drop = cp == ',';
			else
				for (size_t q = 0; q < f->nsep; q++)
					if (f->sep[q].cp == cp)
						drop = 1;
			if (!drop) {
				memcpy(d + k, s + i, j - i);
				k += j - i;
			}
			i = j;
		}
		if (f->zero_code != 0x30)
			return NAN; /* String.fromCodePoint of a negative code point: a RangeError */
		return jn_dt_parse_int(d, k);
	}
	}
}

/* A component's parsed value. */
struct pcomp {
	int present; /* a key of `components` */
	int defined; /* its value is not undefined */
	int is_str;
	double v;
	const char *str;
};

static int comp_truthy(const struct pcomp *p)
{
	if (!p->defined)
		return 0;
	if (p->is_str)
		return p->str && *p->str;
	return p->v != 0 && !isnan(p->v);
}

int jn_dt_parse(struct jn_ctx *c, const char *ts, size_t tslen, const jv *picture, jv **out)
{
	struct dspec spec;
	if (jn_dt_analyse(c, picture->u.s.p, picture->u.s.len, &spec) < 0)
		return -1;
	struct mpart *mp = jn_alloc(c, (spec.n + 1) * sizeof *mp);
	struct jn_sb re;
	jn_sb_init(&re);
	jn_sb_putc(c, &re, '^');
	for (size_t i = 0; i < spec.n; i++) {
		const struct dpart *p = &spec.v[i];
		mp[i].p = p;
		mp[i].comp = p->comp;
		jn_sb_putc(c, &re, '(');
		if (p->literal) {
			mp[i].kind = M_NONE;
			re_escape_literal(c, &re, p->lit, p->lit_len);
		} else if (p->comp == 'Z' || p->comp == 'z') {
			mp[i].kind = M_TZ;
			if (p->ifmt.regular == 1)
				mp[i].sep = p->ifmt.sep[0].cp;
			if (p->comp == 'z')
				jn_sb_puts(c, &re, "GMT");
			jn_sb_puts(c, &re, "[-+][0-9]+");
			if (mp[i].sep) {
				jn_sb_cp(c, &re, mp[i].sep);
				jn_sb_puts(c, &re, "[0-9]+");
			}
		} else if (p->comp == 'f') {
			mp[i].kind = M_FRAC;
			jn_sb_puts(c, &re, "[0-9]+");
		} else if (p->has_ifmt) {
			mp[i].kind = M_INT;
			mp[i].f = &p->ifmt;
			if (int_regex(c, &re, &p->ifmt) < 0)
				return -1;
		} else {
			mp[i].kind = M_NAME;
			jn_sb_puts(c, &re, "[a-zA-Z]+");
			if (!(p->comp == 'M' || p->comp == 'x' || p->comp == 'F' || p->comp == 'P'))
				return jn_throw(c, "D3133", -1, NULL, jn_str(c, p->comp_s, p->comp_len));
		}
		jn_sb_putc(c, &re, ')');
	}
	jn_sb_putc(c, &re, '$');

	/* match: nothing is allocated from the arena between compile and free */
	size_t ngroups = spec.n;
	size_t *ov_copy = jn_alloc(c, (ngroups + 1) * 2 * sizeof *ov_copy);
	int matched = 0;
	{
		int errcode;
		PCRE2_SIZE erroff;
		pcre2_code *code =
			pcre2_compile((PCRE2_SPTR)re.p, re.n,
				      PCRE2_CASELESS | PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_MATCH_INVALID_UTF,
				      &errcode, &erroff, NULL);
		if (!code)
			/* a time-zone separator that is not valid in a regular
			 * expression: JavaScript throws a SyntaxError without a
			 * code; nothing matches here */
			return 0;
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
		pcre2_match_context *mc = pcre2_match_context_create(NULL);
		if (md && mc) {
			pcre2_set_match_limit(mc, 1000000);
			int rc = pcre2_match(code, (PCRE2_SPTR)ts, tslen, 0, 0, md, mc);
			if (rc > 0) {
				PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
				uint32_t cnt = pcre2_get_ovector_count(md);
				matched = 1;
				for (size_t g = 0; g <= ngroups; g++) {
					if (g < cnt && (int)g < rc && ov[2 * g] != PCRE2_UNSET) {
						ov_copy[2 * g] = ov[2 * g];
						ov_copy[2 * g + 1] = ov[2 * g + 1];
					} else {
						ov_copy[2 * g] = ov_copy[2 * g + 1] = 0;
					}
				}
			}
		}
		pcre2_match_context_free(mc);
		pcre2_match_data_free(md);
		pcre2_code_free(code);
	}
	if (!matched)
		return 0; /* undefined */

	struct pcomp comps[128];
	memset(comps, 0, sizeof comps);
	int any = 0;
	for (size_t i = 0; i < spec.n; i++) {
		const struct mpart *m = &mp[i];
		if (m->kind == M_NONE)
			continue;
		const char *s = ts + ov_copy[2 * (i + 1)];
		size_t n = ov_copy[2 * (i + 1) + 1] - ov_copy[2 * (i + 1)];
		struct pcomp pc = {1, 1, 0, NAN, NULL};
		switch (m->kind) {
		case M_TZ: {
			const char *v = s;
			size_t vn = n;
			if (m->comp == 'z') {
				v += 3;
				vn -= 3;
			}
			double oh = 0, om = 0;
			if (m->sep) {
				char sb[8];
				size_t sl = jn_utf8_put(m->sep, sb);
				size_t at = vn;
				for (size_t k = 0; k + sl <= vn; k++)
					if (memcmp(v + k, sb, sl) == 0) {
						at = k;
						break;
					}
				oh = jn_dt_parse_int(v, at);
				om = at + sl <= vn ? jn_dt_parse_int(v + at + sl, vn - at - sl) : NAN;
			} else {
				size_t nd = vn - 1;
				if (nd <= 2) {
					oh = jn_dt_parse_int(v, vn);
				} else {
					oh = jn_dt_parse_int(v, 3);
					om = jn_dt_parse_int(v + 3, vn - 3);
				}
			}
			pc.v = oh * 60 + om;
			break;
		}
		case M_FRAC: {
			char b[8] = "0.";
			size_t k = n < 3 ? n : 3;
			memcpy(b + 2, s, k);
			b[2 + k] = 0;
			pc.v = strtod(b, NULL) * 1000;
			break;
		}
		case M_INT:
			pc.v = parse_int_part(c, m->f, s, n);
			break;
		case M_NAME: {
			const struct dpart *p = m->p;
			pc.defined = 0;
			if (p->comp == 'M' || p->comp == 'x' || p->comp == 'F') {
				int is_day = p->comp == 'F';
				int cnt = is_day ? 7 : 12;
				for (int k = 0; k < cnt; k++) {
					const char *name = is_day ? jn_dt_day_names[k + 1] : jn_dt_month_names[k];
					size_t nl = strlen(name);
					if (p->has_width && p->has_wmax && p->wmax > 0 && !isnan(p->wmax) &&
					    (double)nl > p->wmax)
						nl = (size_t)p->wmax;
					if (nl == n && memcmp(name, s, n) == 0) {
						pc.defined = 1;
						pc.v = k + 1;
					}
				}
			} else { /* P */
				if ((n == 2 && (memcmp(s, "am", 2) == 0 || memcmp(s, "AM", 2) == 0))) {
					pc.defined = 1;
					pc.v = 0;
				} else if (n == 2 && (memcmp(s, "pm", 2) == 0 || memcmp(s, "PM", 2) == 0)) {
					pc.defined = 1;
					pc.v = 1;
				}
			}
			break;
		}
		}
		if (m->comp < 128) {
			comps[m->comp] = pc;
			any = 1;
		}
	}
	if (!any)
		return 0;

	/* which date and time forms were given (datetime.js bit masks) */
	int mask = 0;
	for (const char *q = "YXMxWwdD"; *q; q++)
		mask = (mask << 1) | comp_truthy(&comps[(int)*q]);
#define IS_TYPE(t) (!(~(t) & mask) && ((t) & mask))
	int dateA = IS_TYPE(161);
	int dateB = !dateA && IS_TYPE(130);
	int dateC = IS_TYPE(84);
	int dateD = !dateC && IS_TYPE(72);
	mask = 0;
	for (const char *q = "PHhmsf"; *q; q++)
		mask = (mask << 1) | comp_truthy(&comps[(int)*q]);
	int timeA = IS_TYPE(23);
	int timeB = !timeA && IS_TYPE(47);
#undef IS_TYPE
	const char *dcomps = dateB ? "YD" : dateC ? "XxwF" : dateD ? "XWF" : "YMD";
	const char *tcomps = timeB ? "Phmsf" : "Hmsf";

	struct dtv now;
	jn_dt_of((double)c->now_ms, &now);
	int start_specified = 0, end_specified = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (const char *q = pass ? tcomps : dcomps; *q; q++) {
			struct pcomp *pc = &comps[(int)*q];
			if (!pc->defined) {
				pc->present = pc->defined = 1;
				pc->is_str = 0;
				if (start_specified) {
					pc->v = strchr("MDd", *q) ? 1 : 0;
					end_specified = 1;
				} else {
					struct cval v = jn_dt_fragment(&now, (uint32_t)*q);
					if (v.kind == 2) {
						pc->is_str = 1;
						pc->str = v.str;
					} else {
						pc->v = v.num;
					}
				}
			} else {
				start_specified = 1;
				if (end_specified)
					return jn_throw(c, "D3136", -1, NULL, NULL);
			}
		}
	}
	struct pcomp *M = &comps['M'];
	if (M->defined && !M->is_str && M->v > 0)
		M->v -= 1;
	else {
		M->defined = 1;
		M->is_str = 0;
		M->v = 0;
	}
	double Y = comps['Y'].defined ? comps['Y'].v : NAN;
	double D = comps['D'].defined ? comps['D'].v : NAN;
	if (dateB) {
		double jan1 = jn_dt_date_utc(Y, 0, 1, 0, 0, 0, 0);
		double dd = comps['d'].defined ? comps['d'].v : NAN;
		struct dtv der;
		jn_dt_of(jan1 + (dd - 1) * MS_PER_DAY, &der);
		M->v = der.mon0;
		D = der.day;
	}
	if (dateC || dateD)
		return jn_throw(c, "D3136", -1, NULL, NULL);
	double H = comps['H'].defined ? comps['H'].v : NAN;
	if (timeB) {
		double h = comps['h'].v;
		H = h == 12 ? 0 : h;
		if (!comps['P'].is_str && comps['P'].defined && comps['P'].v == 1)
			H += 12;
	}
	double millis = jn_dt_date_utc(Y, M->v, D, H, comps['m'].v, comps['s'].v, comps['f'].v);
	double zoff = comp_truthy(&comps['Z']) ? comps['Z'].v : comps['z'].defined ? comps['z'].v : NAN;
	if (comp_truthy(&comps['Z']) || comp_truthy(&comps['z']))
		millis -= zoff * 60 * 1000;
	*out = jn_num(c, millis);
	return 0;
}

