/* host_syms — look for tutti's libraries in the function's link namespace.
 * A function should see libc, the SDK (tt_*) and its layers only: tutti's
 * jansson, libcrypto, libseccomp and libcap must not resolve.
 * Result: {"json_loads":false,"EVP_sha256":false,"seccomp_init":false,
 *          "cap_init":false,"tt_return":true} */
#include "hostile.h"

#include <dlfcn.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)event;
	(void)len;
	return hj_return(ctx, "{\"json_loads\":%s,\"EVP_sha256\":%s,\"seccomp_init\":%s,\"cap_init\":%s,\"tt_return\":%s}",
			 dlsym(RTLD_DEFAULT, "json_loads") ? "true" : "false",
			 dlsym(RTLD_DEFAULT, "EVP_sha256") ? "true" : "false",
			 dlsym(RTLD_DEFAULT, "seccomp_init") ? "true" : "false",
			 dlsym(RTLD_DEFAULT, "cap_init") ? "true" : "false",
			 dlsym(RTLD_DEFAULT, "tt_return") ? "true" : "false");
}
