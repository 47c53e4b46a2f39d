/* libFuzzer target: the JSONata engine (jsonata/). The first input line is
 * an expression, compiled; the rest a JSON document (a default one when
 * missing or invalid), evaluated with it as input and as a binding $v,
 * under tight limits (50 ms, 100 nested calls, 64 MiB): the engine must end
 * every evaluation with a result or one of its errors. Both the result
 * paths are taken (json_t and text). Crashes, leaks, sanitizer reports and
 * broken contracts (an error without a code, a result with an error) are
 * the findings. Dictionary: fuzz/fuzz_jsonata.dict. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonata.h"

static const char default_doc[] =
	"{\"Account\":{\"Name\":\"Firefly\",\"Order\":[{\"OrderID\":\"order103\",\"Product\":[{\"Name\":\"Hat\","
	"\"Price\":34.45,\"Quantity\":2,\"tags\":[\"a\",\"b\"]},{\"Name\":\"Cloak\",\"Price\":107.99,\"Quantity\":1}]},"
	"{\"OrderID\":\"order104\",\"Product\":[]}]},\"n\":-3.5,\"s\":\"str\\u00fc\\ud83d\\ude00\",\"e\":[[],{},null,true],"
	"\"1\":{\"0\":2}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int rc, const struct jsonata_error *e, int has_result)
{
	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1 && (!e->code[0] || !e->message[0] || has_result))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonata *x = NULL;
	struct jsonata_error e;
	json_t *doc = NULL, *binds = NULL, *out = NULL;
	char *text = NULL;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t elen = nl ? (size_t)(nl - data) : size;
	struct jsonata_limits lim = {100, 50, (size_t)64 << 20};

	memset(&e, 0, sizeof(e));
	if (jsonata_compile((const char *)data, elen, &x, &e) != 0) {
		if (x || !e.code[0] || !e.message[0])
			abort();
		return 0;
	}
	if (nl)
		doc = json_loadb((const char *)nl + 1, size - elen - 1, JSON_DECODE_ANY, NULL);
	if (!doc)
		doc = json_loads(default_doc, 0, NULL);
	binds = json_pack("{sOsi}", "v", doc, "x", 1);
	memset(&e, 0, sizeof(e));
	int rc = jsonata_eval(x, doc, binds, &lim, &out, &e);
	check(rc, &e, rc && out != NULL);
	memset(&e, 0, sizeof(e));
	rc = jsonata_eval_text(x, NULL, doc, binds, &lim, &text, &e);
	check(rc, &e, rc && text != NULL);
	if (text) {
		/* the text form is JSON (as far as jansson reads JSON: no lone
		 * surrogates, no NUL in keys) */
		json_t *back = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, NULL);
		if (!back && !strstr(text, "\\ud") && !strstr(text, "\\u0000"))
			abort();
		json_decref(back);
	}
	free(text);
	json_decref(out);
	json_decref(binds);
	json_decref(doc);
	jsonata_free(x);
	return 0;
}
