/* console — the web console on the port of `tutti serve` (server/console.c):
 * GET /console/... (the static files of console/web, compiled in; public),
 * GET /console/api/config, POST /console/api/graph (the state machine as
 * SVG, laid out by Graphviz). In tutti-integrations.so, beside http.c. */
#ifndef TUTTI_CONSOLE_H
#define TUTTI_CONSOLE_H

#include "err.h"

struct http_server;
struct svc;

/* Add the routes (before http_start); s and h must outlive the server. */
int console_routes(struct http_server *h, struct svc *s, struct err *e);

#endif
