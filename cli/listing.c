/* listing — list commands' --output json|text (cli.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CELL_MAX 512   /* bytes of one cell; longer values are cut */
#define COLS_MAX 16

/* The value at a dotted path ("A.B") in object o, or NULL. */
static json_t *at_path(json_t *o, const char *path)
{
	char key[128];

	while (o && *path) {
		size_t n = strcspn(path, ".");

		snprintf(key, sizeof key, "%.*s", (int)n, path);
		o = json_is_object(o) ? json_object_get(o, key) : NULL;
		path += n;
		path += *path == '.';
	}
	return o;
}

/* The cell's text into buf; returns its width in characters. */
static size_t cell(json_t *v, char *buf, size_t size)
{
	size_t w = 0;

	if (json_is_string(v)) {
		const unsigned char *s = (const unsigned char *)json_string_value(v);
		size_t n = 0;

		/* Control characters would break the columns (and the terminal). */
		for (; *s && n + 1 < size; s++) {
			buf[n++] = *s < 0x20 || *s == 0x7f ? '?' : (char)*s;
			w += (*s & 0xc0) != 0x80;
		}
		/* Do not leave half a UTF-8 sequence at a cut. */
		while (*s && n && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
			n--;
		if (*s && n && ((unsigned char)buf[n - 1] & 0xc0) == 0xc0) {
			n--;
			w--;
		}
		buf[n] = '\0';
		return w;
	}
	if (json_is_integer(v))
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, size, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, size, "%s", json_is_true(v) ? "yes" : "no");
	else if (json_is_array(v))
		snprintf(buf, size, "%zu", json_array_size(v));
	else
		snprintf(buf, size, "-");
	return strlen(buf);
}

static int print_text(json_t *arr, const struct cli_column *cols, size_t ncols)
{
	size_t width[COLS_MAX], i, c;
	char buf[CELL_MAX];
	json_t *el;

	if (ncols > COLS_MAX)
		ncols = COLS_MAX;
	for (c = 0; c < ncols; c++)
		width[c] = strlen(cols[c].header);
	json_array_foreach(arr, i, el)
		for (c = 0; c < ncols; c++) {
			size_t w = cell(at_path(el, cols[c].path), buf, sizeof buf);

			if (w > width[c])
				width[c] = w;
		}
	/* One column: the values alone, one a line (grep -x friendly). */
	for (c = 0; ncols > 1 && c < ncols; c++) {
		if (c + 1 < ncols)
			printf("%-*s  ", (int)width[c], cols[c].header);
		else
			printf("%s\n", cols[c].header);
	}
	json_array_foreach(arr, i, el) {
		size_t pad = 0;   /* owed before the next non-empty cell: no trailing blanks */

		for (c = 0; c < ncols; c++) {
			size_t w = cell(at_path(el, cols[c].path), buf, sizeof buf);

			if (w) {
				printf("%*s%s", (int)pad, "", buf);
				pad = 0;
			}
			pad += width[c] - w + 2;
		}
		putchar('\n');
	}
	return fflush(stdout) ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

int cli_print_listing(const struct cli_args *a, json_t *doc, const char *array,
		      const struct cli_column *cols, size_t ncols, const char *def)
{
	const char *fmt = cli_str(a, OPT_OUTPUT) ? cli_str(a, OPT_OUTPUT) : def;
	int rc;

	if (!strcmp(fmt, "text")) {
		json_t *arr = json_object_get(doc, array);

		rc = print_text(json_is_array(arr) ? arr : NULL, cols, ncols);
	} else {
		rc = json_dumpf(doc, stdout, JSON_INDENT(2)) == 0 && putchar('\n') != EOF
		     ? CLI_EXIT_OK : CLI_EXIT_FAILED;
	}
	json_decref(doc);
	return rc;
}

int cli_print_rows(json_t *rows, const struct cli_column *cols, size_t ncols)
{
	int rc = print_text(json_is_array(rows) ? rows : NULL, cols, ncols);

	json_decref(rows);
	return rc;
}
