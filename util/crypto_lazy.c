/* libcrypto, loaded on first use. The core needs a handful of OpenSSL
 * calls (SHA-256 of code and layers, States.Hash, States.Base64Encode) but
 * linking libcrypto.so.3 costs every process start ~2.5 M instructions:
 * the dynamic linker binds its ~4,000 symbol relocations eagerly (it is
 * built with BIND_NOW), most of `tutti --version`'s time. So tutti does not
 * link it: these definitions stand in for the few functions the core uses
 * and forward to the real ones, dlopen'ed the first time one is called.
 * Calling a libcrypto function the core does not list here fails at link
 * time (undefined symbol): add it below. Programs that link libcrypto too
 * (tests, tutti-integrations.so) get the same functions through these. */
#include <dlfcn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *crypto;
static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;

static void crypto_open(void)
{
	crypto = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
}

static void *sym(const char *name)
{
	void *p;

	pthread_once(&crypto_once, crypto_open);
	p = crypto ? dlsym(crypto, name) : NULL;
	if (!p) {
		/* No way to report an error through these signatures. */
		fprintf(stderr, "tutti: libcrypto.so.3: cannot load %s: %s\n", name, dlerror());
		abort();
	}
	return p;
}

/* Each stand-in resolves its target once. */
#define FORWARD(ret, name, params, args)                          \
	ret name params                                           \
	{                                                         \
		static ret(*volatile fn) params;                  \
		ret(*fwd_) params = fn;                           \
		if (!fwd_)                                        \
			fn = fwd_ = (ret(*) params)sym(#name);    \
		return fwd_ args;                                 \
	}

FORWARD(const EVP_MD *, EVP_md5, (void), ())
FORWARD(const EVP_MD *, EVP_sha1, (void), ())
FORWARD(const EVP_MD *, EVP_sha256, (void), ())
FORWARD(const EVP_MD *, EVP_sha384, (void), ())
FORWARD(const EVP_MD *, EVP_sha512, (void), ())
FORWARD(EVP_MD_CTX *, EVP_MD_CTX_new, (void), ())
FORWARD(int, EVP_DigestInit_ex, (EVP_MD_CTX * ctx, const EVP_MD *type, ENGINE *impl), (ctx, type, impl))
FORWARD(int, EVP_DigestUpdate, (EVP_MD_CTX * ctx, const void *d, size_t cnt), (ctx, d, cnt))
FORWARD(int, EVP_DigestFinal_ex, (EVP_MD_CTX * ctx, unsigned char *md, unsigned int *s), (ctx, md, s))
FORWARD(int, EVP_Digest,
	(const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type, ENGINE *impl),
	(data, count, md, size, type, impl))
FORWARD(int, EVP_EncodeBlock, (unsigned char *t, const unsigned char *from, int n), (t, from, n))
/* SigV4 (server/sigv4.c): the derived key and the constant-time comparison. */
FORWARD(unsigned char *, HMAC,
	(const EVP_MD *evp_md, const void *key, int key_len, const unsigned char *d, size_t n, unsigned char *md,
	 unsigned int *md_len),
	(evp_md, key, key_len, d, n, md, md_len))
FORWARD(int, CRYPTO_memcmp, (const void *a, const void *b, size_t len), (a, b, len))

void EVP_MD_CTX_free(EVP_MD_CTX *ctx)
{
	static void (*volatile fn)(EVP_MD_CTX *);
	void (*f)(EVP_MD_CTX *) = fn;

	if (!ctx)
		return;
	if (!f)
		fn = f = (void (*)(EVP_MD_CTX *))sym("EVP_MD_CTX_free");
	f(ctx);
}

void OPENSSL_cleanse(void *ptr, size_t len)
{
	static void (*volatile fn)(void *, size_t);
	void (*f)(void *, size_t) = fn;

	if (!f)
		fn = f = (void (*)(void *, size_t))sym("OPENSSL_cleanse");
	f(ptr, len);
}
