#include "curlx.h"

#include <pthread.h>
#include <stdlib.h>

struct curlx_share {
	CURLSH *sh;
	pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc;

static void global_init(void)
{
	init_rc = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

int curlx_global_init(void)
{
	pthread_once(&init_once, global_init);
	return init_rc;
}

static void share_lock(CURL *h, curl_lock_data d, curl_lock_access a, void *arg)
{
	(void)h;
	(void)a;
	pthread_mutex_lock(&((struct curlx_share *)arg)->locks[d]);
}

static void share_unlock(CURL *h, curl_lock_data d, void *arg)
{
	(void)h;
	pthread_mutex_unlock(&((struct curlx_share *)arg)->locks[d]);
}

struct curlx_share *curlx_share_new(void)
{
	struct curlx_share *s;

	if (curlx_global_init() || !(s = calloc(1, sizeof *s)))
		return NULL;
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&s->locks[i], NULL);
	s->sh = curl_share_init();
	if (!s->sh) {
		curlx_share_free(s);
		return NULL;
	}
	curl_share_setopt(s->sh, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(s->sh, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(s->sh, CURLSHOPT_USERDATA, s);
	curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	return s;
}

void curlx_share_free(struct curlx_share *s)
{
	if (!s)
		return;
	if (s->sh)
		curl_share_cleanup(s->sh);
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&s->locks[i]);
	free(s);
}

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct curlx_sink *k = arg;

	if (buf_append(&k->body, p, sz * n) < 0) {
		k->over_cap = true;
		return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
	}
	return sz * n;
}

CURL *curlx_easy(struct curlx_share *share, const char *url, long timeout_ms, struct curlx_sink *sink,
		 curl_write_callback on_header, void *header_arg)
{
	CURL *c = curl_easy_init();

	if (!c)
		return NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	if (share)
		curl_easy_setopt(c, CURLOPT_SHARE, share->sh);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
	if (on_header) {
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, header_arg);
	}
	return c;
}
