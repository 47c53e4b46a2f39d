/* json_example — uses the jansson layer: parses the event with jansson and
 * returns {"keys": N, "type": T}, where T is the event's JSON type and N
 * the number of members of an object or elements of an array (0 for any
 * other value).
 *
 * Build against the layer, not the system (see the Makefile):
 *   cc ... -I build/layers/jansson/include -L build/layers/jansson/lib -ljansson
 * and attach the layer: tutti function create json --code json_example.so
 * --layer jansson. Inside the sandbox libjansson.so.4 comes from /opt/lib. */
#include <stdlib.h>

#include <jansson.h>
#include <tutti.h>

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER:
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	default: return "null";
	}
}

int handler(tt_ctx *ctx, const char *event, size_t event_len)
{
	json_error_t jerr;
	json_t *in = NULL, *out = NULL;
	char *text = NULL;
	size_t n = 0;
	int rc;

	in = json_loadb(event, event_len, JSON_DECODE_ANY, &jerr);
	if (!in) {
		rc = tt_raise(ctx, "InvalidInputError", "not JSON: %s (line %d)", jerr.text, jerr.line);
		goto out;
	}
	if (json_is_object(in))
		n = json_object_size(in);
	else if (json_is_array(in))
		n = json_array_size(in);
	out = json_pack("{s:I, s:s}", "keys", (json_int_t)n, "type", type_name(in));
	text = out ? json_dumps(out, JSON_COMPACT) : NULL;
	if (!text) {
		rc = tt_raise(ctx, "OutOfMemoryError", "cannot build the result");
		goto out;
	}
	rc = tt_return(ctx, text, 0);
out:
	free(text);
	json_decref(out);
	json_decref(in);
	return rc;
}
