/* fnlog — the log store of registered functions, as CloudWatch Logs keeps
 * a Lambda function's log group: every invocation is one record of lines
 *
 *   2024-05-01T12:00:00.000Z START RequestId: <id> Version: <ver>
 *   2024-05-01T12:00:00.012Z <a line the function wrote>
 *   2024-05-01T12:00:00.012Z END RequestId: <id>
 *   2024-05-01T12:00:00.012Z REPORT RequestId: <id>\tDuration: 1.23 ms\t
 *       Billed Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 12 MB\t
 *       [Init Duration: 3.45 ms\t]            (one line; Init on cold starts)
 *
 * each line led by its ISO-8601 UTC time (START: when the invocation was
 * dispatched; the others: when it ended). A failed invocation has a
 * "[ERROR] TYPE: MESSAGE" line before END. The function's output is made
 * safe before it is stored (termsafe: control bytes and bytes that are not
 * UTF-8 become \xHH; \t stays) and capped at FNLOG_OUTPUT_MAX bytes per
 * invocation, its last lines kept after a "[truncated N bytes]" line.
 *
 * On disk: $TUTTI_HOME/logs/functions/NAME/ (0700), files log (the one
 * appended to), log.1 (the newest rotated) ... log.<FNLOG_FILES-1> (0600).
 * A record that would take `log` past FNLOG_FILE_MAX rotates first, so the
 * directory holds at most about FNLOG_FILES * FNLOG_FILE_MAX bytes.
 *
 * Appends from several processes are safe: each takes an flock on
 * NAME/.lock, rotates if needed and writes the record with one write(2)
 * to an O_APPEND descriptor. Readers take no lock.
 *
 * Errors: 0 or -errno; nothing is printed. Strings are borrowed.
 * Thread-safety: reentrant; a reader is used by one thread at a time. */
#ifndef TUTTI_FNLOG_H
#define TUTTI_FNLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fnconf.h"
#include "rt.h"

#define FNLOG_OUTPUT_MAX (64u * 1024)   /* output bytes stored per invocation */
#define FNLOG_FILE_MAX   (1u << 20)     /* rotate `log` at this size */
#define FNLOG_FILES      4              /* log + log.1 .. log.3 */
#define FNLOG_LINE_MAX   (FNLOG_OUTPUT_MAX + 4096) /* a reader cuts longer lines */
#define FNLOG_TIME_LEN   24             /* "2024-05-01T12:00:00.000Z" */

/* One invocation, as the store and the REPORT line see it (what a future
 * invocation store can keep too). Borrowed strings. */
struct fnlog_record {
	const char *function;       /* the function's name */
	const char *version;        /* "$LATEST", "3" */
	const char *request_id;
	bool ok;
	const char *error_type;     /* when !ok */
	const char *error_message;
	bool cold;
	uint64_t duration_us;
	uint64_t init_us;           /* shown only when cold */
	unsigned memory_mb;         /* configured */
	uint64_t max_rss_kib;       /* peak used, 0 = unknown */
	const char *output;         /* the function's stdout+stderr, may be NULL */
	size_t output_len;
	uint64_t output_dropped;    /* bytes of output before `output` already lost */
	int64_t end_ms;             /* wall clock when it ended, ms since the epoch */
};

/* Fill r from a completed invocation (borrowing cfg's and res's strings;
 * end_ms: now). */
void fnlog_record_from_result(struct fnlog_record *r, const struct fn_config *cfg,
			      const struct rt_result *res);

/* Lambda's REPORT line, without time or newline ("REPORT RequestId: ...
 * \tInit Duration: 3.45 ms\t"): billed duration is the duration rounded up
 * to the millisecond (at least 1), memory in MB rounded up. Returns the
 * length as snprintf does (out may be cut at cap). */
size_t fnlog_format_report(const struct fnlog_record *r, char *out, size_t cap);

/* ms since the epoch as "2024-05-01T12:00:00.000Z" (out: FNLOG_TIME_LEN + 1). */
void fnlog_format_time(int64_t ms, char *out);

/* The whole record as stored: malloc'd text of *len bytes (lines ending in
 * \n, at most about FNLOG_OUTPUT_MAX + 8 KiB), or NULL (out of memory). */
char *fnlog_format(const struct fnlog_record *r, size_t *len);

/* Append r to the store under `home` (r->function must be a valid function
 * name: -EINVAL otherwise). 0 or -errno; an error leaves at most the
 * record unwritten. */
int fnlog_append(const char *home, const struct fnlog_record *r);

/* Whether `name` has a log directory under `home`. */
bool fnlog_exists(const char *home, const char *name);

/* "10m", "1h", "30s", "2d", "500ms" (before now_ms) or an ISO-8601 UTC time
 * ("2024-05-01", "2024-05-01T12:00", "2024-05-01T12:00:00[.123][Z]") into
 * ms since the epoch. 0 or -EINVAL. */
int fnlog_parse_since(const char *s, int64_t now_ms, int64_t *out);

/* Reading a function's log, oldest first across the rotated files, then
 * what is appended later (--follow): each fnlog_reader_read call delivers
 * the complete lines written since the last one. A rotation between calls
 * is followed (the rest of the old file first). */
struct fnlog_reader;

/* A line: its time (ms since the epoch; 0 if it has none) and its text
 * after the time (no newline). Return non-zero to stop reading. */
typedef int (*fnlog_line_fn)(void *arg, int64_t ts_ms, const char *text, size_t len);

/* -ENOENT: no log directory for `name`; lines older than since_ms (0: all)
 * are skipped. */
int fnlog_reader_open(const char *home, const char *name, int64_t since_ms, struct fnlog_reader **out);
/* 0 (every line available delivered), the callback's non-zero value, or
 * -errno. */
int fnlog_reader_read(struct fnlog_reader *rd, fnlog_line_fn fn, void *arg);
void fnlog_reader_close(struct fnlog_reader *rd);

#endif
