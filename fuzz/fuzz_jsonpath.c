/* libFuzzer target: compile a JSONPath (first input line; the first byte
 * picks Path or Reference Path) and evaluate it against the document in the
 * rest of the input, as input, context object and variable; then place a
 * value with it as a ResultPath. Crashes, leaks and sanitizer reports are
 * the findings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpath.h"

static const char default_doc[] =
	"{\"a\":{\"b\":[1,2.5,\"x\",null,true,{\"c\":[{\"d\":1},{\"d\":\"e\"}]}]},"
	"\"k e y\":{\"\\u00fc\":[[],{}]},\"n\":-3,\"s\":\"str\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonpath *p = NULL;
	json_t *doc = NULL, *vars = NULL, *out = NULL, *value = NULL;
	struct jsonpath_roots roots;
	const uint8_t *nl;
	unsigned flags;
	struct err e;
	size_t plen;

	if (size < 1)
		return 0;
	flags = data[0] & 1 ? JSONPATH_REFERENCE : 0;
	data++;
	size--;
	nl = memchr(data, '\n', size);
	plen = nl ? (size_t)(nl - data) : size;
	p = jsonpath_compilen((const char *)data, plen, flags, &e);
	if (!p)
		goto out;
	if (nl)
		doc = json_loadb((const char *)nl + 1, size - plen - 1, JSON_DECODE_ANY, NULL);
	if (!doc)
		doc = json_loads(default_doc, 0, NULL);
	vars = json_pack("{sOsisO}", "v", doc, "x", 1, "_y", doc);
	roots.input = doc;
	roots.context = doc;
	roots.vars = vars;
	if (jsonpath_eval(p, &roots, &out, &e) == 0) {
		if (!out || (!jsonpath_is_definite(p) && !json_is_array(out)))
			abort();
		json_decref(out);
		out = NULL;
	} else if (out || !e.type[0]) {
		abort();
	}
	if (jsonpath_is_definite(p)) {
		value = json_pack("{s:[i]}", "r", 1);
		if (jsonpath_set(p, json_incref(doc), value, &out, NULL, &e) == 0 && !out)
			abort();
	}
out:
	json_decref(out);
	json_decref(value);
	json_decref(vars);
	json_decref(doc);
	jsonpath_free(p);
	return 0;
}
