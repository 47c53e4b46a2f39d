/* console_files — the web console's static files, compiled into
 * tutti-integrations.so by console/embed.c (generated: $(BUILD)/gen/
 * console_files.c), sorted by path. */
#ifndef TUTTI_CONSOLE_FILES_H
#define TUTTI_CONSOLE_FILES_H

#include <stddef.h>

struct console_file {
	const char *path;           /* "/index.html": under console/web, with its leading '/' */
	const char *type;           /* the Content-Type */
	const unsigned char *data;
	size_t len;
	const char *etag;           /* "\"<16 hex digits>\"" */
};
extern const struct console_file console_files[];
extern const unsigned console_nfiles;

#endif
