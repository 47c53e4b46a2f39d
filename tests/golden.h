/* golden.h — golden-file loading shared by the unit tests (header-only:
 * every function is static, and each test binary is one .c file).
 *
 * golden_load(sub, name_key) reads every *.json file (at most 256) in
 * $TUTTI_TESTDATA/<sub> (default tests/data/<sub>) in name order; each file
 * holds a JSON array of case objects. Returns a new array of all cases
 * (the caller json_decref()s it); each case gets "_where": "FILE #N", or
 * "FILE #N (NAME)" when name_key is given (NAME = the case's name_key
 * string, "?" when absent). A missing folder or a file that is not a JSON
 * array prints the reason and exits 1: the test cannot run.
 *
 * golden_show(v) returns v as compact JSON, or "(none)" for NULL; the
 * caller free()s it. */
#ifndef TESTS_GOLDEN_H
#define TESTS_GOLDEN_H

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int golden_by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static json_t *golden_load(const char *sub, const char *name_key)
{
	const char *base = getenv("TUTTI_TESTDATA");
	char dir[512], file[1024];
	char *names[256];
	size_t n = 0, i, j;
	struct dirent *de;
	json_t *cases;
	DIR *d;

	snprintf(dir, sizeof dir, "%s/%s", base ? base : "tests/data", sub);
	cases = json_array();
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "cannot open %s\n", dir);
		exit(1);
	}
	while ((de = readdir(d)) && n < 256)
		if (strlen(de->d_name) > 5 &&
		    strcmp(de->d_name + strlen(de->d_name) - 5, ".json") == 0)
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof names[0], golden_by_name);
	for (i = 0; i < n; i++) {
		json_error_t je;
		json_t *arr, *c;

		snprintf(file, sizeof file, "%s/%s", dir, names[i]);
		arr = json_load_file(file, JSON_DECODE_ANY, &je);
		if (!json_is_array(arr)) {
			fprintf(stderr, "%s:%d: %s\n", file, je.line, je.text);
			exit(1);
		}
		json_array_foreach(arr, j, c) {
			const char *nm = name_key ? json_string_value(json_object_get(c, name_key)) : NULL;

			if (name_key)
				json_object_set_new(c, "_where", json_sprintf("%s #%zu (%s)", names[i], j,
									      nm ? nm : "?"));
			else
				json_object_set_new(c, "_where", json_sprintf("%s #%zu", names[i], j));
			json_array_append(cases, c);
		}
		json_decref(arr);
		free(names[i]);
	}
	return cases;
}

static char *golden_show(const json_t *v)
{
	return v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : strdup("(none)");
}

#endif
