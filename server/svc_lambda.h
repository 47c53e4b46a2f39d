/* svc_lambda — the Lambda API of `tutti serve` (restJson1, as AWS serves
 * it under /2015-03-31/functions, /2017-10-31 and /2019-09-30 for
 * concurrency, /2018-10-31/layers), over the function registry
 * (registry/registry.h) and the server's runtime (rt.h). docs/api.md lists
 * every operation with its status.
 *
 * What the registry does not keep lives in the service's store as
 * resources: "lambda-function" (ARN of the function: the Role, Runtime and
 * Handler as given, the reserved concurrency) and "lambda-alias" (ARN of
 * the alias, parent the function's ARN: Lambda's AliasConfiguration).
 *
 * Errors are restJson1's: the model's HTTP status, an X-Amzn-ErrorType
 * header and {"Type": "User", "message": ...}.
 *
 * Code arrives as a zip (base64 in the JSON body: ZipFile), extracted by
 * lambda_zip_extract with libzip. Request bodies on these routes are capped
 * at LAMBDA_BODY_MAX (Lambda takes a 50 MB zip in the request: ~67 MiB of
 * base64), an Invoke payload at FN_PAYLOAD_MAX.
 *
 * Built into tutti-integrations.so (libzip, libmicrohttpd). Thread-safety:
 * the handlers run on the HTTP server's threads, concurrently; everything
 * they use (registry, rt, store) is thread-safe. */
#ifndef TUTTI_SVC_LAMBDA_H
#define TUTTI_SVC_LAMBDA_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct http_server;
struct svc;

#define LAMBDA_BODY_MAX        (70u << 20)    /* a request on the Lambda routes */
#define LAMBDA_ZIP_BYTES_MAX   (250ull << 20) /* unzipped, as Lambda's 250 MB */
#define LAMBDA_ZIP_ENTRIES_MAX 10000u         /* entries in one zip */
#define LAMBDA_ZIP_NAME_MAX    1024u          /* bytes of an entry's path */
#define LAMBDA_ZIP_DEPTH_MAX   64u            /* components of an entry's path */

/* Add the Lambda routes to h (before http_start); s is the full service. */
int svc_lambda_routes(struct http_server *h, struct svc *s, struct err *e);

struct lambda_zip_stats {
	unsigned entries;        /* files, directories and symlinks made */
	uint64_t bytes;          /* bytes written */
};

/* Extract the zip in data[0..len) into dir (an existing, empty directory;
 * the caller removes it on failure too). Refused, as
 * InvalidParameterValueException naming the entry: not a zip (or a
 * damaged one: CRC and sizes are checked), an absolute path, a ".."
 * component, a backslash, a symlink whose target leaves dir, a device or
 * fifo, more than LAMBDA_ZIP_ENTRIES_MAX entries, more than max_bytes
 * written in all (counted as written, not as the headers claim: a zip
 * bomb stops at the cap), names past LAMBDA_ZIP_NAME_MAX or deeper than
 * LAMBDA_ZIP_DEPTH_MAX. Files are created without following any symlink
 * (openat with O_NOFOLLOW at every step), so a symlink in the zip cannot
 * redirect a later entry. Modes: 0755 when the entry is executable, else
 * 0644; directories 0755. st may be NULL. */
int lambda_zip_extract(const void *data, size_t len, const char *dir, uint64_t max_bytes,
		       struct lambda_zip_stats *st, struct err *e);

#endif
