/* tutti batch NAME[:VER]|PATH.so [--input FILE|-] [-o FILE|-] [--concurrency N]
 *   [--retries N] [--timeout S] [--memory MB] [--layer-dir DIR] [--env K=V]...
 *   [--ordered] [--resume] [--progress auto|always|never] [--summary FILE]
 *
 * Runs a function once per line of a JSON Lines input, on up to N warm
 * environments, through rt_invoke_async (the server's and the
 * orchestrator's path). Writes one JSON line per item:
 *   {"line": N, "result": ...}
 *   {"line": N, "error": {"errorType": ..., "errorMessage": ...}, "attempts": K}
 * Memory stays flat: at most `window` items are outstanding (dispatched and
 * not yet written; with --ordered that includes the reordering buffer).
 * docs/batch.md has the whole contract (exit codes, retries, --resume). */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "registry.h"

#define BATCH_LINE_MAX    FN_PAYLOAD_MAX   /* an input line (Lambda's payload) */
#define BATCH_CONC_MAX    64               /* rt_options.max_envs */
#define BATCH_RETRIES_MAX 10
#define BATCH_BACKOFF_MS  100              /* first retry delay, doubled, capped */
#define BATCH_BACKOFF_MAX 5000
#define BATCH_TYPES_MAX   100              /* distinct error types in the summary */
#define BATCH_HIST        (64 * 16)        /* duration histogram buckets */
#define BATCH_RESUME_LINE (64u << 20)      /* an output line read back by --resume */

struct item {
	uint64_t line;
	uint64_t seq;          /* dispatch order (--ordered) */
	char *payload;         /* NULL once done */
	size_t len;
	unsigned attempts;
	uint64_t due_ms;       /* retry time */
	uint64_t dur_us;       /* the last attempt's */
	struct rt_result res;  /* the last attempt's (set when done) */
	char *out;             /* the formatted output line (done) */
	bool ok;
	char etype[ERR_TYPE_MAX];
	struct item *next;
	struct batch *owner;
};

struct batch {
	bool fail_fast;            /* --fail-fast */
	bool stopping;             /* a failure under --fail-fast: no new items */
	struct rt *rt;
	struct fn_config cfg;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct item *done_head, **done_tail;   /* completed attempts (I/O thread -> main) */
	struct item *retry;                    /* waiting for their back-off */
	struct item **ring;                    /* --ordered: by seq % window */
	unsigned window, outstanding, inflight, retries;
	uint64_t next_seq, write_seq;
	bool ordered;
	FILE *out;
	/* input */
	int in_fd;
	char *buf;
	size_t blen, bpos;
	char *line;
	size_t llen;
	bool eof, too_long;
	uint64_t lineno, bytes_read, bytes_total;
	/* resume */
	uint8_t *seen;
	uint64_t seen_bits;
	/* counts */
	uint64_t items, succeeded, failed, skipped, dropped;
	unsigned maxinflight;
	json_t *types;
	uint64_t hist[BATCH_HIST];
	uint64_t t0_ms;
};

static volatile sig_atomic_t batch_signal;

static void on_signal(int sig) { batch_signal = sig; }

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static bool is_path(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') || (n > 3 && !strcmp(s + n - 3, ".so"));
}

/* ---- durations: a log-linear histogram (16 steps per power of two) -------- */

static unsigned hist_bucket(uint64_t us)
{
	unsigned b = 0;

	if (us < 16)
		return (unsigned)us;
	while ((us >> b) >= 32)
		b++;
	/* us >> b is in [16, 32) */
	return (b + 1) * 16 + (unsigned)((us >> b) - 16) < BATCH_HIST ? (b + 1) * 16 + (unsigned)((us >> b) - 16)
								   : BATCH_HIST - 1;
}

static uint64_t hist_value(unsigned k)
{
	if (k < 16)
		return k;
	return (uint64_t)(16 + k % 16 + 1) << (k / 16 - 1);   /* the bucket's upper bound */
}

static double hist_pct(const struct batch *b, double p)
{
	uint64_t n = 0, want, c = 0;

	for (unsigned k = 0; k < BATCH_HIST; k++)
		n += b->hist[k];
	if (!n)
		return 0;
	want = (uint64_t)(p * (double)n + 0.999999);
	if (want < 1)
		want = 1;
	for (unsigned k = 0; k < BATCH_HIST; k++) {
		c += b->hist[k];
		if (c >= want)
			return (double)hist_value(k) / 1000.0;
	}
	return 0;
}

/* ---- input: lines of at most BATCH_LINE_MAX bytes --------------------------- */

/* Next line into b->line (NUL-terminated, b->llen); 1 a line, 0 at the end,
 * -EINTR when a signal came, -errno. A longer line sets b->too_long (its
 * bytes are dropped). Waits in poll so that a signal stops it. */
static int read_line(struct batch *b)
{
	b->llen = 0;
	b->too_long = false;
	for (;;) {
		char *nl;
		size_t n;

		if (b->bpos < b->blen) {
			nl = memchr(b->buf + b->bpos, '\n', b->blen - b->bpos);
			n = (nl ? (size_t)(nl - (b->buf + b->bpos)) : b->blen - b->bpos);
			if (!b->too_long) {
				if (b->llen + n > BATCH_LINE_MAX) {
					b->too_long = true;
				} else {
					memcpy(b->line + b->llen, b->buf + b->bpos, n);
					b->llen += n;
				}
			}
			b->bpos += n + (nl ? 1 : 0);
			if (nl)
				goto line;
			continue;
		}
		if (b->eof) {
			if (b->llen || b->too_long)
				goto line;
			return 0;
		}
		for (;;) {
			struct pollfd p = { .fd = b->in_fd, .events = POLLIN };
			ssize_t r;

			if (batch_signal)
				return -EINTR;
			if (poll(&p, 1, 100) <= 0)
				continue;
			r = read(b->in_fd, b->buf, 1 << 16);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return -errno;
			b->blen = (size_t)r;
			b->bpos = 0;
			b->bytes_read += (uint64_t)r;
			if (!r)
				b->eof = true;
			break;
		}
	}
line:
	b->lineno++;
	b->line[b->llen] = 0;
	return 1;
}

/* ---- --resume: the lines already in the output file ------------------------- */

static bool seen(const struct batch *b, uint64_t line)
{
	return line < b->seen_bits && (b->seen[line / 8] >> (line % 8) & 1);
}

static int mark_seen(struct batch *b, uint64_t line)
{
	if (line >= b->seen_bits) {
		uint64_t bits = b->seen_bits ? b->seen_bits : 1 << 16;
		uint8_t *p;

		while (bits <= line)
			bits *= 2;
		p = realloc(b->seen, bits / 8);
		if (!p)
			return -ENOMEM;
		memset(p + b->seen_bits / 8, 0, (bits - b->seen_bits) / 8);
		b->seen = p;
		b->seen_bits = bits;
	}
	b->seen[line / 8] |= (uint8_t)(1u << (line % 8));
	return 0;
}

/* Read `path`'s complete lines, mark their "line", and cut a torn last line
 * (no newline: the writer was killed) so appending starts on a line. */
static int load_resume(struct batch *b, const char *path)
{
	FILE *f = fopen(path, "r+");
	char *l = NULL;
	size_t cap = 0;
	ssize_t n;
	off_t good = 0;
	int rc = 0;

	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while ((n = getline(&l, &cap, f)) > 0) {
		json_t *o, *v;

		if (l[n - 1] != '\n')
			break;                  /* torn: ignored, its item runs again */
		good += n;
		if ((size_t)n > BATCH_RESUME_LINE)
			continue;
		o = json_loadb(l, (size_t)n, 0, NULL);
		v = json_object_get(o, "line");
		if (json_is_integer(v) && json_integer_value(v) > 0 && mark_seen(b, (uint64_t)json_integer_value(v)))
			rc = -ENOMEM;
		json_decref(o);
		if (rc)
			goto out;
	}
	if (ferror(f)) {
		rc = -EIO;
		goto out;
	}
	if (ftruncate(fileno(f), good))
		rc = -errno;
out:
	free(l);
	fclose(f);
	return rc;
}

/* ---- items ----------------------------------------------------------------- */

static bool retryable(const char *type)
{
	return strcmp(type, "Runtime.SandboxViolation") && strncmp(type, "Batch.", 6);
}

static void count_type(struct batch *b, const char *type)
{
	json_t *v = json_object_get(b->types, type);

	if (!v && json_object_size(b->types) >= BATCH_TYPES_MAX)
		type = "(other)", v = json_object_get(b->types, type);
	json_object_set_new(b->types, type, json_integer(v ? json_integer_value(v) + 1 : 1));
}

static void item_free(struct item *it)
{
	if (!it)
		return;
	free(it->payload);
	free(it->out);
	rt_result_free(&it->res);
	free(it);
}

/* The item's output line (it->out), and its counts. */
static int item_finish(struct batch *b, struct item *it, const char *etype, const char *emsg)
{
	json_t *o = NULL, *r = NULL;

	if (!etype) {
		json_error_t je;

		r = json_loadb(it->res.payload ? it->res.payload : "null",
			       it->res.payload ? it->res.payload_len : 4, JSON_DECODE_ANY, &je);
		if (!r) {
			etype = "Batch.InvalidResult";
			emsg = "the function's result is not JSON";
		}
	}
	if (etype) {
		o = json_pack("{s:I, s:{s:s, s:s}, s:i}", "line", (json_int_t)it->line, "error", "errorType", etype,
			      "errorMessage", emsg, "attempts", (int)it->attempts);
		b->failed++;
		if (b->fail_fast)
			b->stopping = true;
		count_type(b, etype);
	} else {
		o = json_pack("{s:I, s:o}", "line", (json_int_t)it->line, "result", r);
		b->succeeded++;
		it->ok = true;
	}
	b->items++;
	if (it->attempts)
		b->hist[hist_bucket(it->dur_us)]++;
	if (!o)
		return -ENOMEM;
	it->out = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(o);
	free(it->payload);
	it->payload = NULL;
	rt_result_free(&it->res);
	return it->out ? 0 : -ENOMEM;
}

static int write_out(struct batch *b, struct item *it)
{
	int rc = 0;

	if (it->out && (fputs(it->out, b->out) == EOF || fputc('\n', b->out) == EOF))
		rc = -EIO;
	b->outstanding--;
	item_free(it);
	return rc;
}

/* A finished item: written now, or (--ordered) when its turn comes. */
static int item_done(struct batch *b, struct item *it)
{
	int rc = 0;

	if (!b->ordered)
		return write_out(b, it);
	b->ring[it->seq % b->window] = it;
	while (!rc && b->ring[b->write_seq % b->window]) {
		struct item *w = b->ring[b->write_seq % b->window];

		b->ring[b->write_seq % b->window] = NULL;
		b->write_seq++;
		rc = write_out(b, w);
	}
	return rc;
}

/* The rt's I/O thread: hand the result to the main thread. */
static void on_result(void *arg, struct rt_result *res)
{
	struct item *it = arg;
	struct batch *b = it->owner;

	pthread_mutex_lock(&b->mu);
	it->res = *res;   /* the struct is the rt's; its buffers are ours */
	it->next = NULL;
	*b->done_tail = it;
	b->done_tail = &it->next;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

static int dispatch(struct batch *b, struct item *it)
{
	int rc;

	it->attempts++;
	it->owner = b;
	b->inflight++;
	rc = rt_invoke_async(b->rt, &b->cfg, it->payload, it->len, on_result, it);
	if (rc)
		b->inflight--;
	return rc;
}

/* After SIGINT/SIGTERM a failed item is not written (Ctrl-C reaches the
 * sandboxes too: their errors are the interruption's): --resume runs it. */
static int item_drop(struct batch *b, struct item *it)
{
	b->dropped++;
	free(it->payload);
	it->payload = NULL;
	rt_result_free(&it->res);
	return item_done(b, it) ? -1 : 0;
}

/* A completed attempt (main thread, lock held): retry, or finish. */
static int attempt_done(struct batch *b, struct item *it)
{
	char etype[ERR_TYPE_MAX], emsg[ERR_MSG_MAX];

	b->inflight--;
	it->dur_us = it->res.duration_us;
	if (!it->res.ok && batch_signal)
		return item_drop(b, it);
	if (it->res.ok)
		return item_finish(b, it, NULL, NULL) || item_done(b, it) ? -1 : 0;
	snprintf(etype, sizeof etype, "%s", it->res.err.type);
	snprintf(emsg, sizeof emsg, "%s", it->res.err.msg);
	if (it->attempts <= b->retries && retryable(etype) && !batch_signal) {
		unsigned d = BATCH_BACKOFF_MS << (it->attempts - 1 < 6 ? it->attempts - 1 : 6);

		rt_result_free(&it->res);
		it->due_ms = now_ms() + (d < BATCH_BACKOFF_MAX ? d : BATCH_BACKOFF_MAX);
		it->next = b->retry;
		b->retry = it;
		return 0;
	}
	return item_finish(b, it, etype, emsg) || item_done(b, it) ? -1 : 0;
}

/* One line read: a new item (dispatched, or failed at once). */
static int new_item(struct batch *b)
{
	struct item *it;
	json_t *j;
	json_error_t je;
	const char *p = b->line;

	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	if (!*p && !b->too_long)
		return 0;                       /* a blank line is no item */
	if (seen(b, b->lineno)) {
		b->skipped++;
		return 0;
	}
	it = calloc(1, sizeof *it);
	if (!it)
		return -ENOMEM;
	it->line = b->lineno;
	it->seq = b->next_seq++;
	b->outstanding++;
	if (b->too_long) {
		char m[128];

		snprintf(m, sizeof m, "line %llu is longer than %u bytes", (unsigned long long)it->line,
			 BATCH_LINE_MAX);
		return item_finish(b, it, "Batch.LineTooLong", m) || item_done(b, it) ? -ENOMEM : 0;
	}
	j = json_loadb(b->line, b->llen, JSON_DECODE_ANY, &je);
	if (!j) {
		char m[256];

		snprintf(m, sizeof m, "line %llu is not JSON: %s (column %d)", (unsigned long long)it->line, je.text,
			 je.column);
		return item_finish(b, it, "Batch.InvalidJSON", m) || item_done(b, it) ? -ENOMEM : 0;
	}
	json_decref(j);
	it->payload = malloc(b->llen + 1);
	if (!it->payload) {
		item_free(it);
		return -ENOMEM;
	}
	memcpy(it->payload, b->line, b->llen + 1);
	it->len = b->llen;
	if (dispatch(b, it)) {
		it->attempts = 0;
		return item_finish(b, it, "Batch.DispatchError", "the runtime refused the invocation") ||
		       item_done(b, it) ? -ENOMEM : 0;
	}
	return 0;
}

static void progress(struct batch *b, bool final)
{
	double secs = (double)(now_ms() - b->t0_ms) / 1000.0, rate = secs > 0 ? (double)b->items / secs : 0;
	char eta[64] = "";

	if (b->bytes_total && b->bytes_read && !final && rate > 0) {
		double frac = (double)b->bytes_read / (double)b->bytes_total;
		double left = frac > 0 ? secs / frac - secs : 0;

		snprintf(eta, sizeof eta, ", %.0f%% of the input, ETA %.0fs", frac * 100, left > 0 ? left : 0);
	}
	fprintf(stderr, "\r%llu done (%llu failed), %u in flight, %.0f/s%s\033[K%s", (unsigned long long)b->items,
		(unsigned long long)b->failed, b->inflight, rate, eta, final ? "\n" : "");
}

static int summary(struct batch *b, const char *path)
{
	double wall = (double)(now_ms() - b->t0_ms) / 1000.0;
	json_t *s = json_pack("{s:I, s:I, s:I, s:I, s:I, s:O, s:{s:f, s:f}, s:f, s:f}", "items", (json_int_t)b->items,
			      "succeeded", (json_int_t)b->succeeded, "failed", (json_int_t)b->failed, "skipped",
			      (json_int_t)b->skipped, "not_written", (json_int_t)b->dropped, "errors", b->types, "duration_ms", "p50", hist_pct(b, 0.50), "p99",
			      hist_pct(b, 0.99), "wall_s", wall, "items_per_s", wall > 0 ? (double)b->items / wall : 0.0);
	const char *k;
	json_t *v;
	int rc = 0;

	fprintf(stderr, "tutti: batch: %llu items, %llu succeeded, %llu failed", (unsigned long long)b->items,
		(unsigned long long)b->succeeded, (unsigned long long)b->failed);
	json_object_foreach(b->types, k, v)
		fprintf(stderr, "%s%s %lld", k == json_object_iter_key(json_object_iter(b->types)) ? " (" : ", ", k,
			(long long)json_integer_value(v));
	fprintf(stderr, "%s", json_object_size(b->types) ? ")" : "");
	if (b->skipped)
		fprintf(stderr, ", %llu skipped (--resume)", (unsigned long long)b->skipped);
	fprintf(stderr, "; p50 %.2f ms, p99 %.2f ms; %.2f s, %.0f items/s\n", hist_pct(b, 0.50), hist_pct(b, 0.99),
		wall, wall > 0 ? (double)b->items / wall : 0.0);
	if (path && s && json_dump_file(s, path, JSON_PRESERVE_ORDER | JSON_INDENT(2) | JSON_REAL_PRECISION(6))) {
		fprintf(stderr, "tutti: batch: cannot write %s\n", path);
		rc = -1;
	}
	json_decref(s);
	return rc;
}

static int resolve(struct cli *cli, const char *target, struct fn_config *cfg)
{
	struct err e = { 0 };

	if (is_path(target)) {
		char real[PATH_MAX], name[FN_NAME_MAX + 1];
		const char *base;
		size_t n;

		if (!realpath(target, real))
			return cli_usage("batch: %s: %s", target, strerror(errno));
		base = strrchr(real, '/') + 1;
		n = strcspn(base, ".");
		snprintf(name, sizeof name, "%.*s", (int)(n < FN_NAME_MAX ? n : FN_NAME_MAX), base);
		fnconf_defaults(cfg, name, real);
		snprintf(cfg->version, sizeof cfg->version, "local");
	} else {
		struct registry *reg = registry_open(cli->home, &e);

		if (!reg || registry_resolve(reg, target, cfg, &e)) {
			registry_close(reg);
			cli_print_err(&e);
			return CLI_EXIT_USAGE;
		}
		registry_close(reg);
	}
	return 0;
}

int cmd_batch(struct cli *cli, const struct cli_args *a)
{
	struct batch *b;
	const char *in_path = cli_str(a, OPT_INPUT), *out_path = cli_str(a, OPT_BATCH_OUTPUT);
	const char *layer_dir = cli_str(a, OPT_LAYER_DIR), *prog = cli_str(a, OPT_PROGRESS);
	const char *const *envs = cli_list(a, OPT_ENV);
	unsigned conc = 0, timeout = 0, memory = 0, nenv = cli_count(a, OPT_ENV);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	bool resume = cli_count(a, OPT_RESUME), show;
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	struct err e = { 0 };
	uint64_t last_prog = 0;
	int rc = CLI_EXIT_USAGE, r = 0;
	struct stat st;

	b = calloc(1, sizeof *b);
	if (!b)
		return CLI_EXIT_FAILED;
	b->in_fd = -1;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	b->done_tail = &b->done_head;
	b->ordered = cli_count(a, OPT_ORDERED);
	b->fail_fast = cli_count(a, OPT_FAIL_FAST);
	b->types = json_object();
	conc = ncpu > 0 ? (unsigned)ncpu : 1;
	if (conc > BATCH_CONC_MAX)
		conc = BATCH_CONC_MAX;
	if (cli_str(a, OPT_CONCURRENCY) && parse_uint(cli_str(a, OPT_CONCURRENCY), 1, BATCH_CONC_MAX, &conc)) {
		rc = cli_usage("batch: --concurrency must be 1-%d", BATCH_CONC_MAX);
		goto out;
	}
	if (cli_str(a, OPT_RETRIES) && parse_uint(cli_str(a, OPT_RETRIES), 0, BATCH_RETRIES_MAX, &b->retries)) {
		rc = cli_usage("batch: --retries must be 0-%d", BATCH_RETRIES_MAX);
		goto out;
	}
	if (cli_str(a, OPT_TIMEOUT) &&
	    parse_uint(cli_str(a, OPT_TIMEOUT), FN_TIMEOUT_MIN_S, FN_TIMEOUT_MAX_S, &timeout)) {
		rc = cli_usage("batch: --timeout must be %d-%d seconds", FN_TIMEOUT_MIN_S, FN_TIMEOUT_MAX_S);
		goto out;
	}
	if (cli_str(a, OPT_MEMORY) && parse_uint(cli_str(a, OPT_MEMORY), FN_MEMORY_MIN_MB, FN_MEMORY_MAX_MB, &memory)) {
		rc = cli_usage("batch: --memory must be %d-%d MB", FN_MEMORY_MIN_MB, FN_MEMORY_MAX_MB);
		goto out;
	}
	if (resume && (!out_path || !strcmp(out_path, "-"))) {
		rc = cli_usage("batch: --resume needs --output FILE (the results so far)");
		goto out;
	}
	rc = resolve(cli, a->pos[0], &b->cfg);
	if (rc)
		goto out;
	rc = CLI_EXIT_USAGE;
	if (timeout)
		b->cfg.timeout_s = timeout;
	if (memory)
		b->cfg.memory_mb = memory;
	if (cli_count(a, OPT_NETWORK))
		b->cfg.network = true;
	if (layer_dir && !realpath(layer_dir, b->cfg.opt_dir)) {
		rc = cli_usage("batch: --layer-dir %s: %s", layer_dir, strerror(errno));
		goto out;
	}
	for (unsigned i = 0; i < nenv; i++)
		if (fnconf_add_env(&b->cfg, envs[i])) {
			rc = cli_usage("batch: bad --env '%s' (K=V, all together at most %d bytes)", envs[i], FN_ENV_MAX);
			goto out;
		}
	b->cfg.reserved_concurrency = conc;   /* N warm environments at once */
	b->window = conc * 16 < 256 ? 256 : conc * 16;
	b->maxinflight = conc * 2;   /* queued in the rt: what an interruption waits for */
	b->buf = malloc(1 << 16);
	b->line = malloc(BATCH_LINE_MAX + 1);
	b->ring = calloc(b->window, sizeof *b->ring);
	if (!b->buf || !b->line || !b->ring || !b->types) {
		rc = CLI_EXIT_FAILED;
		goto out;
	}
	if (!in_path || !strcmp(in_path, "-")) {
		b->in_fd = dup(0);
	} else {
		b->in_fd = open(in_path, O_RDONLY | O_CLOEXEC);
	}
	if (b->in_fd < 0) {
		rc = cli_usage("batch: %s: %s", in_path ? in_path : "stdin", strerror(errno));
		goto out;
	}
	if (!fstat(b->in_fd, &st) && S_ISREG(st.st_mode))
		b->bytes_total = (uint64_t)st.st_size;
	if (resume && (r = load_resume(b, out_path))) {
		rc = cli_usage("batch: --resume: cannot read %s: %s", out_path, strerror(-r));
		goto out;
	}
	if (!out_path || !strcmp(out_path, "-"))
		b->out = fdopen(dup(1), "w");
	else
		b->out = fopen(out_path, resume ? "a" : "w");
	if (!b->out) {
		rc = cli_usage("batch: %s: %s", out_path ? out_path : "stdout", strerror(errno));
		goto out;
	}
	b->rt = cli_rt(cli);
	if (!b->rt)
		goto out;
	/* Code that cannot load is a configuration error: nothing runs. */
	if (rt_check_code(b->rt, &b->cfg, &e)) {
		fprintf(stderr, "tutti: batch: %s cannot run: ", a->pos[0]);
		cli_print_err(&e);
		goto out;
	}
	show = prog ? !strcmp(prog, "always") || (!strcmp(prog, "auto") && isatty(2)) : isatty(2);

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	b->t0_ms = now_ms();
	pthread_mutex_lock(&b->mu);
	for (;;) {
		struct item *it, **pp;
		uint64_t t = now_ms(), wake = t + 100;

		while ((it = b->done_head)) {
			b->done_head = it->next;
			if (!b->done_head)
				b->done_tail = &b->done_head;
			if (attempt_done(b, it)) {
				r = -ENOMEM;
				break;
			}
		}
		for (pp = &b->retry; (it = *pp);) {
			if (batch_signal || b->stopping || it->due_ms <= t) {
				*pp = it->next;
				if (batch_signal || b->stopping ? item_drop(b, it) : dispatch(b, it) ?
				    item_finish(b, it, "Batch.DispatchError", "the runtime refused the invocation") ||
				    item_done(b, it) : 0)
					r = -ENOMEM;
				continue;
			}
			if (it->due_ms < wake)
				wake = it->due_ms;
			pp = &it->next;
		}
		if (r || ferror(b->out))
			break;
		while (!batch_signal && !b->stopping && !b->eof && b->outstanding < b->window &&
		       b->inflight < b->maxinflight) {
			int lr;

			pthread_mutex_unlock(&b->mu);
			lr = read_line(b);
			pthread_mutex_lock(&b->mu);
			if (lr == -EINTR || lr == 0)
				break;
			if (lr < 0 || (lr = new_item(b))) {
				r = lr;
				break;
			}
			if (b->done_head)
				break;         /* collect what finished, then read on */
		}
		if (r)
			break;
		if (show && t - last_prog >= 200) {
			progress(b, false);
			last_prog = t;
		}
		if ((b->eof || batch_signal || b->stopping) && !b->inflight && !b->retry && !b->done_head)
			break;
		if (!b->done_head && (b->eof || batch_signal || b->stopping || b->outstanding >= b->window ||
				      b->inflight >= b->maxinflight)) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			wake -= t;
			ts.tv_sec += (time_t)(wake / 1000);
			ts.tv_nsec += (long)(wake % 1000) * 1000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&b->cv, &b->mu, &ts);
		}
	}
	pthread_mutex_unlock(&b->mu);
	if (r)
		rt_drain(b->rt);   /* no callback may outlive its item */
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (fflush(b->out) || ferror(b->out) || r) {
		fprintf(stderr, "tutti: batch: %s\n", r && r != -EIO ? strerror(-r) : "cannot write the output");
		rc = CLI_EXIT_FAILED;
	} else {
		rc = b->failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
	}
	if (show)
		progress(b, true);
	if (summary(b, cli_str(a, OPT_SUMMARY)) && rc == CLI_EXIT_OK)
		rc = CLI_EXIT_FAILED;
	if (b->stopping && !batch_signal)
		fprintf(stderr, "tutti: batch: stopped at the first failure (--fail-fast); %llu lines read, "
			"%llu retries not run; run again with --resume to go on\n", (unsigned long long)b->lineno,
			(unsigned long long)b->dropped);
	if (batch_signal) {
		fprintf(stderr, "tutti: batch: interrupted; %llu lines read, %llu failed items not written; "
			"run again with --resume to finish\n", (unsigned long long)b->lineno,
			(unsigned long long)b->dropped);
		rc = 128 + batch_signal;
	}
out:
	if (b->out)
		fclose(b->out);
	if (b->in_fd >= 0)
		close(b->in_fd);
	for (unsigned i = 0; b->ring && i < b->window; i++)
		item_free(b->ring[i]);
	free(b->ring);
	free(b->buf);
	free(b->line);
	free(b->seen);
	json_decref(b->types);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
	free(b);
	return rc;
}
