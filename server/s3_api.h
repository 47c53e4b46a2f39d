/* s3_api — the bucket store served as Amazon S3's REST API on the port of
 * `tutti serve` (docs/api.md, "S3").
 *
 * s3_api_open opens $TUTTI_HOME/buckets (the file store that `tutti
 * bucket` and the state machines' S3 tasks use, always that one: a server
 * whose AWS_ENDPOINT_URL points at itself must not proxy to itself) and
 * adds one streaming route (http_route_stream) that takes, whatever the
 * order routes were added in:
 *   - virtual-host requests (Host BUCKET.localhost, BUCKET.s3.localhost,
 *     BUCKET.s3.ANYTHING), any path;
 *   - path-style requests /BUCKET[/KEY] whose first segment is not
 *     another API's (Lambda's dated prefixes, /schedules, /tags, ...), and
 *     GET / (ListBuckets);
 * never a request with X-Amz-Target (the JSON APIs on POST /).
 * Uploads stream to temporary files under $TUTTI_HOME/s3-tmp and
 * multipart parts to $TUTTI_HOME/s3-uploads; downloads stream from the
 * object's file.
 *
 * Ownership: s3_api_close after http_free (the route's arg is the api).
 * Thread-safety: requests are served on libmicrohttpd's threads at once. */
#ifndef TUTTI_S3_API_H
#define TUTTI_S3_API_H

#include "err.h"
#include "http.h"

#define S3_OBJECT_MAX   (5ull << 30)     /* one PUT or one part: 5 GiB, as S3 */
#define S3_PART_MIN     (5ull << 20)     /* every part but the last, as S3 */

struct s3_api;

int s3_api_open(struct http_server *h, const char *home, struct s3_api **out, struct err *e);
void s3_api_close(struct s3_api *s);

#endif
