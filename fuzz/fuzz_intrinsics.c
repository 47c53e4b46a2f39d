/* libFuzzer target: compile an intrinsic function call (first input line)
 * and evaluate it against the document in the rest of the input, used as
 * input, context object and variables. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intrinsics.h"

static const char default_doc[] =
	"{\"a\":[1,2,3,3,\"x\",{\"k\":\"v\"}],\"s\":\"a,b;c\",\"n\":5,\"f\":1.5,"
	"\"o\":{\"p\":{\"q\":[true,null]}},\"j\":\"{\\\"x\\\":[1]}\",\"b\":\"YWJj\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct intrinsic *f = NULL;
	json_t *doc = NULL, *out = NULL;
	struct jsonpath_roots roots;
	const uint8_t *nl;
	char *text = NULL;
	struct err e;
	size_t tlen;

	nl = memchr(data, '\n', size);
	tlen = nl ? (size_t)(nl - data) : size;
	text = malloc(tlen + 1);
	if (!text)
		return 0;
	memcpy(text, data, tlen);
	text[tlen] = '\0';
	f = intrinsic_compile(text, &e);
	if (!f)
		goto out;
	if (nl)
		doc = json_loadb((const char *)nl + 1, size - tlen - 1, JSON_DECODE_ANY, NULL);
	if (!json_is_object(doc)) {
		json_decref(doc);
		doc = json_loads(default_doc, 0, NULL);
	}
	roots.input = doc;
	roots.context = doc;
	roots.vars = doc;
	if (intrinsic_eval(f, &roots, &out, &e) == 0) {
		if (!out)
			abort();
	} else if (out || strcmp(e.type, "States.IntrinsicFailure") != 0) {
		abort();
	}
out:
	json_decref(out);
	json_decref(doc);
	intrinsic_free(f);
	free(text);
	return 0;
}
