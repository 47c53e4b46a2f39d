/* jn_errors.c: JSONata's error codes and message templates (jsonata.js
 * errorCodes, verbatim), raising errors, and formatting the message at the
 * end as populateMessage() does: {{{x}}} inserts x as is, {{x}} inserts
 * JSON.stringify(x) ("undefined" when x is). tutti's own codes: U1001
 * (expression nested too deeply to parse), U1002 (memory cap), U1003 (a
 * result nested too deeply to hand to jansson), S0303 (an
 * invalid regular expression: JavaScript throws a SyntaxError without a
 * code). */
#include <stdio.h>
#include <string.h>

#include "jn_int.h"

static const struct {
	const char *code, *tmpl;
} templates[] = {
	{"S0101", "String literal must be terminated by a matching quote"},
	{"S0102", "Number out of range: {{token}}"},
	{"S0103", "Unsupported escape sequence: \\{{token}}"},
	{"S0104", "The escape sequence \\u must be followed by 4 hex digits"},
	{"S0105", "Quoted property name must be terminated with a backquote (`)"},
	{"S0106", "Comment has no closing tag"},
	{"S0201", "Syntax error: {{token}}"},
	{"S0202", "Expected {{value}}, got {{token}}"},
	{"S0203", "Expected {{value}} before end of expression"},
	{"S0204", "Unknown operator: {{token}}"},
	{"S0205", "Unexpected token: {{token}}"},
	{"S0206", "Unknown expression type: {{token}}"},
	{"S0207", "Unexpected end of expression"},
	{"S0208", "Parameter {{value}} of function definition must be a variable name (start with $)"},
	{"S0209", "A predicate cannot follow a grouping expression in a step"},
	{"S0210", "Each step can only have one grouping expression"},
	{"S0211", "The symbol {{token}} cannot be used as a unary operator"},
	{"S0212", "The left side of := must be a variable name (start with $)"},
	{"S0213", "The literal value {{value}} cannot be used as a step within a path expression"},
	{"S0214", "The right side of {{token}} must be a variable name (start with $)"},
	{"S0215", "A context variable binding must precede any predicates on a step"},
	{"S0216", "A context variable binding must precede the 'order-by' clause on a step"},
	{"S0217", "The object representing the 'parent' cannot be derived from this expression"},
	{"S0301", "Empty regular expressions are not allowed"},
	{"S0302", "No terminating / in regular expression"},
	{"S0402", "Choice groups containing parameterized types are not supported"},
	{"S0401", "Type parameters can only be applied to functions and arrays"},
	{"S0500", "Attempted to evaluate an expression containing syntax error(s)"},
	{"T0410", "Argument {{index}} of function {{token}} does not match function signature"},
	{"T0411", "Context value is not a compatible type with argument {{index}} of function {{token}}"},
	{"T0412", "Argument {{index}} of function {{token}} must be an array of {{type}}"},
	{"D1001", "Number out of range: {{value}}"},
	{"D1002", "Cannot negate a non-numeric value: {{value}}"},
	{"T1003", "Key in object structure must evaluate to a string; got: {{value}}"},
	{"D1004", "Regular expression matches zero length string"},
	{"T1005", "Attempted to invoke a non-function. Did you mean ${{{token}}}?"},
	{"T1006", "Attempted to invoke a non-function"},
	{"T1007", "Attempted to partially apply a non-function. Did you mean ${{{token}}}?"},
	{"T1008", "Attempted to partially apply a non-function"},
	{"D1009", "Multiple key definitions evaluate to same key: {{value}}"},
	{"T1010", "The matcher function argument passed to function {{token}} does not return the correct object structure"},
	{"D1011", "Stack overflow. Check for non-terminating recursive function.  Consider rewriting as tail-recursive"},
	{"D1012", "Evaluation timeout after {{value}} milliseconds. Check for infinite loop"},
	{"D1013", "Object property names starting with _jsonata_ are reserved for internal use: {{value}}"},
	{"T2001", "The left side of the {{token}} operator must evaluate to a number"},
	{"T2002", "The right side of the {{token}} operator must evaluate to a number"},
	{"T2003", "The left side of the range operator (..) must evaluate to an integer"},
	{"T2004", "The right side of the range operator (..) must evaluate to an integer"},
	{"D2005", "The left side of := must be a variable name (start with $)"},
	{"T2006", "The right side of the function application operator ~> must be a function"},
	{"T2007", "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause"},
	{"T2008", "The expressions within an order-by clause must evaluate to numeric or string values"},
	{"T2009", "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type"},
	{"T2010", "The expressions either side of operator {{token}} must evaluate to numeric or string values"},
	{"T2011", "The insert/update clause of the transform expression must evaluate to an object: {{value}}"},
	{"T2012", "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}"},
	{"T2013", "The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function."},
	{"D2014", "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {{value}}."},
	{"D2015", "The maximum sequence length of {{value}} was exceeded."},
	{"D3001", "Attempting to invoke string function on Infinity or NaN"},
	{"D3010", "Second argument of replace function cannot be an empty string"},
	{"D3011", "Fourth argument of replace function must evaluate to a positive number"},
	{"D3012", "Attempted to replace a matched string with a non-string value"},
	{"D3020", "Third argument of split function must evaluate to a positive number"},
	{"D3030", "Unable to cast value to a number: {{value}}"},
	{"D3040", "Third argument of match function must evaluate to a positive number"},
	{"D3050", "The second argument of reduce function must be a function with at least two arguments"},
	{"D3060", "The sqrt function cannot be applied to a negative number: {{value}}"},
	{"D3061", "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{exp}}"},
	{"D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function"},
	{"D3080", "The picture string must only contain a maximum of two sub-pictures"},
	{"D3081", "The sub-picture must not contain more than one instance of the 'decimal-separator' character"},
	{"D3082", "The sub-picture must not contain more than one instance of the 'percent' character"},
	{"D3083", "The sub-picture must not contain more than one instance of the 'per-mille' character"},
	{"D3084", "The sub-picture must not contain both a 'percent' and a 'per-mille' character"},
	{"D3085", "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'"},
	{"D3086", "The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character"},
	{"D3087", "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character"},
	{"D3088", "The sub-picture must not contain a 'grouping-separator' at the end of the integer part"},
	{"D3089", "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character"},
	{"D3090", "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'"},
	{"D3091", "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'"},
	{"D3092", "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'"},
	{"D3093", "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'"},
	{"D3100", "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}"},
	{"D3110", "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}"},
	{"D3120", "Syntax error in expression passed to function eval: {{value}}"},
	{"D3121", "Dynamic error evaluating the expression passed to function eval: {{value}}"},
	{"D3130", "Formatting or parsing an integer as a sequence starting with {{value}} is not supported by this implementation"},
	{"D3131", "In a decimal digit pattern, all digits must be from the same decimal group"},
	{"D3132", "Unknown component specifier {{value}} in date/time picture string"},
	{"D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not {{value}}"},
	{"D3134", "The timezone integer format specifier cannot have more than four digits"},
	{"D3135", "No matching closing bracket ']' in date/time picture string"},
	{"D3136", "The date/time picture string is missing specifiers required to parse the timestamp"},
	{"D3137", "{{{message}}}"},
	{"D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more."},
	{"D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0."},
	{"D3140", "Malformed URL passed to ${{{functionName}}}(): {{value}}"},
	{"D3141", "{{{message}}}"},
	/* tutti's own */
	{"U1001", "Expression nested too deeply"},
	{"U1002", "Evaluation exceeded the memory limit of {{value}} bytes"},
	{"U1003", "Result nested deeper than {{value}} levels of arrays and objects"},
	{"S0303", "{{{message}}}"},
};

const char *jn_err_template(const char *code)
{
	for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]); i++)
		if (strcmp(templates[i].code, code) == 0)
			return templates[i].tmpl;
	return NULL;
}

static int raise(struct jn_ctx *c, const char *code, long position, const char *token)
{
	if (c->e.code)
		return -1; /* the first error stands */
	memset(&c->e, 0, sizeof(c->e));
	c->e.code = code;
	c->e.position = position;
	c->e.token = token;
	return -1;
}

int jn_throw(struct jn_ctx *c, const char *code, long position, const char *token, jv *value)
{
	if (c->e.code)
		return -1;
	raise(c, code, position, token);
	c->e.value = value;
	c->e.has_value = 1;
	return -1;
}

int jn_throw2(struct jn_ctx *c, const char *code, long position, const char *token, jv *value, jv *value2)
{
	if (c->e.code)
		return -1;
	jn_throw(c, code, position, token, value);
	c->e.value2 = value2;
	c->e.has_value2 = 1;
	return -1;
}

int jn_throw_arg(struct jn_ctx *c, const char *code, long position, const char *token, int index,
		 const char *type, jv *value)
{
	if (c->e.code)
		return -1;
	jn_throw(c, code, position, token, value);
	c->e.index = index;
	c->e.type = type;
	return -1;
}

int jn_throw_msg(struct jn_ctx *c, const char *code, const char *message)
{
	if (c->e.code)
		return -1;
	raise(c, code, -1, NULL);
	c->e.message = message;
	return -1;
}

/* JSON.stringify of an insert, "undefined" when absent. */
static void put_json(struct jn_ctx *c, struct jn_sb *b, const jv *v, int has)
{
	if (!has || !v || jn_json_write(c, b, v, JN_JSON_SHORT) < 0)
		jn_sb_puts(c, b, "undefined");
}

static void put_json_str(struct jn_ctx *c, struct jn_sb *b, const char *s)
{
	if (!s) {
		jn_sb_puts(c, b, "undefined");
		return;
	}
	jv tmp = {.type = JV_STRING};
	tmp.u.s.p = s;
	tmp.u.s.len = strlen(s);
	jn_json_write(c, b, &tmp, 0);
}

void jn_err_format(struct jn_ctx *c, struct jsonata_error *out)
{
	const struct jn_err_state *e = &c->e;
	snprintf(out->code, sizeof(out->code), "%s", e->code ? e->code : "U0000");
	out->position = e->position;
	snprintf(out->token, sizeof(out->token), "%s", e->token ? e->token : "");
	if (e->token_val) {
		struct jn_sb tb;
		jn_sb_init(&tb);
		if (e->token_val->type == JV_STRING)
			jn_sb_put(c, &tb, e->token_val->u.s.p, e->token_val->u.s.len);
		else
			jn_json_write(c, &tb, e->token_val, JN_JSON_SHORT);
		snprintf(out->token, sizeof(out->token), "%.*s", (int)tb.n, tb.p ? tb.p : "");
	}
	if (e->raw_message) {
		snprintf(out->message, sizeof(out->message), "%s", e->raw_message);
		return;
	}
	const char *t = e->code ? jn_err_template(e->code) : NULL;
	if (!t) {
		snprintf(out->message, sizeof(out->message), "%s", e->message ? e->message : "error");
		return;
	}
	struct jn_sb b;
	jn_sb_init(&b);
	for (const char *p = t; *p;) {
		int triple = strncmp(p, "{{{", 3) == 0;
		if (!triple && strncmp(p, "{{", 2) != 0) {
			jn_sb_putc(c, &b, *p++);
			continue;
		}
		const char *nb = p + (triple ? 3 : 2);
		const char *ne = strstr(nb, triple ? "}}}" : "}}");
		if (!ne) {
			jn_sb_putc(c, &b, *p++);
			continue;
		}
		size_t nl = (size_t)(ne - nb);
		char name[32];
		snprintf(name, sizeof(name), "%.*s", (int)nl, nb);
		p = ne + (triple ? 3 : 2);
		const char *raw = NULL;
		int have_raw = 0;
		if (!strcmp(name, "message")) {
			raw = e->message;
			have_raw = 1;
		} else if (!strcmp(name, "functionName")) {
			raw = e->function_name;
			have_raw = 1;
		} else if (!strcmp(name, "token")) {
			raw = e->token;
			have_raw = 1;
		} else if (!strcmp(name, "type")) {
			raw = e->type;
			have_raw = 1;
		}
		if (triple) {
			if (have_raw)
				jn_sb_puts(c, &b, raw ? raw : "undefined");
			else if (!strcmp(name, "value") && e->has_value && e->value && e->value->type == JV_STRING)
				jn_sb_put(c, &b, e->value->u.s.p, e->value->u.s.len);
			else
				put_json(c, &b, !strcmp(name, "value") ? e->value : NULL, !strcmp(name, "value") && e->has_value);
			continue;
		}
		if (!strcmp(name, "token") && e->token_val)
			put_json(c, &b, e->token_val, 1);
		else if (have_raw)
			put_json_str(c, &b, raw);
		else if (!strcmp(name, "value"))
			put_json(c, &b, e->value, e->has_value);
		else if (!strcmp(name, "value2"))
			put_json(c, &b, e->value2, e->has_value2);
		else if (!strcmp(name, "exp"))
			put_json(c, &b, e->exp, e->has_exp);
		else if (!strcmp(name, "index")) {
			if (e->index)
				jn_sb_printf(c, &b, "%d", e->index);
			else
				jn_sb_puts(c, &b, "undefined");
		} else
			jn_sb_puts(c, &b, "undefined");
	}
	snprintf(out->message, sizeof(out->message), "%.*s", (int)b.n, b.p ? b.p : "");
}
