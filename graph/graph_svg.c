/* graph_svg — DOT laid out and drawn as SVG by Graphviz's libgvc (graph.h).
 * In tutti-integrations.so: libgvc and its plugins are ~40 shared
 * libraries the tutti binary does not load for other commands.
 *
 * libgvc keeps global state (cgraph's error function and level, the
 * parser's, the layout's), so calls are serialised by one mutex, and the
 * one GVC context is made on first use and kept (loading its plugins
 * costs milliseconds a call otherwise). cgraph's messages go to agseterrf's
 * function, which keeps them for e instead of printing them on stderr.
 *
 * Graphviz 2.43 (Debian 12's) leaks on every dot layout with clusters
 * (~70 KiB for a Map inside a Parallel, ~1 MiB for the 1,000-state bench
 * machine, measured as RSS over hundreds of layouts). A server draws the
 * same few definitions again and again (statuses are classes the console
 * toggles, or fills in the DOT), so the last CACHE_N distinct DOT texts and
 * their SVG are kept: the same picture is laid out once per process. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gvc.h>

#include "graph.h"

#define NODES_MAX (4 * GRAPH_STATES_MAX)   /* states plus start, end, inner starts, joins */

#define CACHE_N     16
#define CACHE_BYTES (16u << 20)   /* DOT + SVG of one entry, at most */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static GVC_t *gvc;
static char msgs[1024];   /* graphviz's messages of the current call (under lock) */
static struct {
	uint64_t hash, used;
	char *dot, *svg;
	size_t dot_len, svg_len;
} cache[CACHE_N];         /* under lock */
static uint64_t clock_;

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static int cache_find(uint64_t h, const char *dot, size_t len)
{
	for (int i = 0; i < CACHE_N; i++)
		if (cache[i].dot && cache[i].hash == h && cache[i].dot_len == len && !memcmp(cache[i].dot, dot, len))
			return i;
	return -1;
}

/* Keep a copy (nothing when memory is short: it is only a cache). */
static void cache_put(uint64_t h, const char *dot, size_t len, const char *svg, size_t svg_len)
{
	int v = 0;
	char *d, *s;

	if (len + svg_len > CACHE_BYTES || cache_find(h, dot, len) >= 0)
		return;
	for (int i = 0; i < CACHE_N; i++) {   /* a free slot, else the least recently used */
		if (!cache[i].dot) {
			v = i;
			break;
		}
		if (cache[i].used < cache[v].used)
			v = i;
	}
	d = malloc(len);
	s = malloc(svg_len);
	if (!d || !s) {
		free(d);
		free(s);
		return;
	}
	free(cache[v].dot);
	free(cache[v].svg);
	memcpy(d, dot, len);
	memcpy(s, svg, svg_len);
	cache[v].hash = h;
	cache[v].used = ++clock_;
	cache[v].dot = d;
	cache[v].dot_len = len;
	cache[v].svg = s;
	cache[v].svg_len = svg_len;
}

static int keep_msg(char *m)
{
	size_t n = strlen(msgs);

	if (n < sizeof msgs - 1)
		snprintf(msgs + n, sizeof msgs - n, "%s", m);
	return 0;
}

/* The kept messages as one line. */
static const char *msg_text(const char *fallback)
{
	char *p;

	for (p = msgs; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	while (p > msgs && p[-1] == ' ')
		*--p = 0;
	return msgs[0] ? msgs : fallback;
}

int graph_svg(const char *dot, size_t len, struct buf *out, struct err *e)
{
	Agraph_t *g = NULL;
	Agnode_t *n;
	Agsym_t *id;
	char *text = NULL, *svg = NULL;
	unsigned int svg_len = 0;
	size_t nodes = 0, states = 0;
	agusererrf old_f;
	uint64_t hash;
	int hit;
	bool laid = false;
	int rc = -1;

	if (len > GRAPH_DOT_MAX)
		return err_setn(e, GRAPH_ERR_TOO_LARGE, "the DOT text is %zu bytes, over %u", len, GRAPH_DOT_MAX);
	if (memchr(dot, 0, len))
		return err_setn(e, GRAPH_ERR_RENDER, "the DOT text holds a NUL byte");
	hash = fnv1a(dot, len);
	pthread_mutex_lock(&lock);
	hit = cache_find(hash, dot, len);
	if (hit >= 0) {
		cache[hit].used = ++clock_;
		rc = buf_append(out, cache[hit].svg, cache[hit].svg_len)
			     ? err_setn(e, GRAPH_ERR_TOO_LARGE, "the SVG (%zu bytes) does not fit its buffer",
					cache[hit].svg_len)
			     : 0;
		pthread_mutex_unlock(&lock);
		return rc;
	}
	pthread_mutex_unlock(&lock);
	text = malloc(len + 1);
	if (!text)
		return err_set(e, ERR_RUNTIME_OOM, "out of memory for the DOT text");
	memcpy(text, dot, len);
	text[len] = 0;
	pthread_mutex_lock(&lock);
	msgs[0] = 0;
	old_f = agseterrf(keep_msg);
	agseterr(AGWARN);
	if (!gvc && !(gvc = gvContext())) {
		err_setn(e, GRAPH_ERR_RENDER, "graphviz: %s", msg_text("cannot make a context"));
		goto out;
	}
	g = agmemread(text);
	if (!g) {
		err_setn(e, GRAPH_ERR_RENDER, "graphviz: %s", msg_text("not a DOT graph"));
		goto out;
	}
	id = agattr(g, AGNODE, "id", NULL);
	for (n = agfstnode(g); n; n = agnxtnode(g, n)) {
		const char *v = id ? agxget(n, id) : NULL;

		nodes++;
		if (v && !strncmp(v, "state:", 6))
			states++;
	}
	if (states > GRAPH_STATES_MAX || nodes > NODES_MAX) {
		err_setn(e, GRAPH_ERR_TOO_LARGE, "the graph has %zu states and %zu nodes (at most %d and %d are laid out)",
			 states, nodes, GRAPH_STATES_MAX, NODES_MAX);
		goto out;
	}
	if (gvLayout(gvc, g, "dot")) {
		err_setn(e, GRAPH_ERR_RENDER, "graphviz: %s", msg_text("the layout failed"));
		goto out;
	}
	laid = true;
	if (gvRenderData(gvc, g, "svg", &svg, &svg_len) || !svg) {
		err_setn(e, GRAPH_ERR_RENDER, "graphviz: %s", msg_text("rendering SVG failed"));
		goto out;
	}
	if (svg_len > GRAPH_SVG_MAX) {
		err_setn(e, GRAPH_ERR_TOO_LARGE, "the SVG is %u bytes, over %u", svg_len, GRAPH_SVG_MAX);
		goto out;
	}
	if (buf_append(out, svg, svg_len)) {
		err_setn(e, GRAPH_ERR_TOO_LARGE, "the SVG (%u bytes) does not fit its buffer", svg_len);
		goto out;
	}
	cache_put(hash, dot, len, svg, svg_len);
	rc = 0;
out:
	if (svg)
		gvFreeRenderData(svg);
	if (laid)
		gvFreeLayout(gvc, g);
	if (g)
		agclose(g);
	agseterrf(old_f);
	pthread_mutex_unlock(&lock);
	free(text);
	return rc;
}

/* ---- the layout in a child process ------------------------------------------------- */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static pthread_mutex_t kids_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kids_cv = PTHREAD_COND_INITIALIZER;
static unsigned kids;

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A slot among GRAPH_LAYOUT_PROCS, waiting until deadline. */
static bool kid_slot(int64_t deadline)
{
	struct timespec until;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (deadline - mono_ms()) / 1000 + 1;
	pthread_mutex_lock(&kids_lock);
	while (kids >= GRAPH_LAYOUT_PROCS && ok)
		ok = pthread_cond_timedwait(&kids_cv, &kids_lock, &until) != ETIMEDOUT;
	if (ok)
		kids++;
	pthread_mutex_unlock(&kids_lock);
	return ok;
}

static void kid_done(void)
{
	pthread_mutex_lock(&kids_lock);
	kids--;
	pthread_cond_signal(&kids_cv);
	pthread_mutex_unlock(&kids_lock);
}

/* Write all of dot, then read the child's answer, within deadline. */
static int talk(int in, int outfd, const char *dot, size_t len, struct buf *ans, int64_t deadline, struct err *e)
{
	size_t sent = 0;
	char chunk[65536];

	while (sent < len) {
		struct pollfd p = { .fd = in, .events = POLLOUT };
		int64_t left = deadline - mono_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return err_setn(e, GRAPH_ERR_TOO_LARGE, "the layout took longer than %d s", GRAPH_LAYOUT_TIMEOUT_MS / 1000);
		n = write(in, dot + sent, len - sent);
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return err_setn(e, GRAPH_ERR_RENDER, "the layout process went away: %s", strerror(errno));
		if (n > 0)
			sent += (size_t)n;
	}
	close(in);
	for (;;) {
		struct pollfd p = { .fd = outfd, .events = POLLIN };
		int64_t left = deadline - mono_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return err_setn(e, GRAPH_ERR_TOO_LARGE, "the layout took longer than %d s", GRAPH_LAYOUT_TIMEOUT_MS / 1000);
		n = read(outfd, chunk, sizeof chunk);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return err_setn(e, GRAPH_ERR_RENDER, "reading the layout: %s", strerror(errno));
		if (!n)
			return 0;
		if (buf_append(ans, chunk, (size_t)n))
			return err_setn(e, GRAPH_ERR_TOO_LARGE, "the SVG is over %u bytes", GRAPH_SVG_MAX);
	}
}

int graph_svg_isolated(const char *exe, const char *dot, size_t len, struct buf *out, struct err *e)
{
	int64_t deadline = mono_ms() + GRAPH_LAYOUT_TIMEOUT_MS;
	char *const argv[] = { (char *)"tutti", (char *)GRAPH_LAYOUT_COMMAND, NULL };
	posix_spawn_file_actions_t fa;
	int to[2] = { -1, -1 }, from[2] = { -1, -1 }, status = 0, rc = -1, hit;
	struct buf ans;
	uint64_t hash;
	pid_t pid = -1;

	if (len > GRAPH_DOT_MAX)
		return err_setn(e, GRAPH_ERR_TOO_LARGE, "the DOT text is %zu bytes, over %u", len, GRAPH_DOT_MAX);
	hash = fnv1a(dot, len);
	pthread_mutex_lock(&lock);
	hit = cache_find(hash, dot, len);
	if (hit >= 0) {
		cache[hit].used = ++clock_;
		rc = buf_append(out, cache[hit].svg, cache[hit].svg_len)
			     ? err_setn(e, GRAPH_ERR_TOO_LARGE, "the SVG does not fit its buffer")
			     : 0;
		pthread_mutex_unlock(&lock);
		return rc;
	}
	pthread_mutex_unlock(&lock);
	if (!kid_slot(deadline))
		return err_setn(e, "ThrottlingException", "%d graph layouts are running: try again", GRAPH_LAYOUT_PROCS);
	buf_init(&ans, GRAPH_SVG_MAX + 1024);
	if (pipe2(to, O_CLOEXEC) || pipe2(from, O_CLOEXEC)) {
		err_setn(e, GRAPH_ERR_RENDER, "pipe: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, to[0], 0);
	posix_spawn_file_actions_adddup2(&fa, from[1], 1);
	errno = posix_spawn(&pid, exe, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(to[0]);
	close(from[1]);
	to[0] = from[1] = -1;
	if (errno) {
		pid = -1;
		err_setn(e, GRAPH_ERR_RENDER, "cannot start the layout process %s: %s", exe, strerror(errno));
		goto out;
	}
	if (talk(to[1], from[0], dot, len, &ans, deadline, e)) {
		kill(pid, SIGKILL);
		goto out;
	}
	to[1] = -1;   /* closed by talk */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	pid = -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		/* its answer is "TYPE: message" */
		const char *colon = ans.data ? memchr(ans.data, ':', ans.len) : NULL;
		char type[64];

		if (WIFSIGNALED(status)) {
			err_setn(e, GRAPH_ERR_TOO_LARGE, "the layout was stopped by signal %d (a limit: %d s of CPU)",
				 WTERMSIG(status), GRAPH_LAYOUT_TIMEOUT_MS / 1000);
		} else if (colon && colon - ans.data < (long)sizeof type && colon + 2 <= ans.data + ans.len) {
			snprintf(type, sizeof type, "%.*s", (int)(colon - ans.data), ans.data);
			err_setn(e, type, "%.*s", (int)(ans.data + ans.len - (colon + 2)) > 400 ? 400 :
				 (int)(ans.data + ans.len - (colon + 2)), colon + 2);
		} else {
			err_setn(e, GRAPH_ERR_RENDER, "the layout failed (exit %d)", WEXITSTATUS(status));
		}
		goto out;
	}
	if (buf_append(out, ans.data ? ans.data : "", ans.len)) {
		err_setn(e, GRAPH_ERR_TOO_LARGE, "the SVG does not fit its buffer");
		goto out;
	}
	pthread_mutex_lock(&lock);
	cache_put(hash, dot, len, ans.data ? ans.data : "", ans.len);
	pthread_mutex_unlock(&lock);
	rc = 0;
out:
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	for (int i = 0; i < 2; i++) {
		if (to[i] >= 0)
			close(to[i]);
		if (from[i] >= 0)
			close(from[i]);
	}
	buf_free(&ans);
	kid_done();
	return rc;
}
