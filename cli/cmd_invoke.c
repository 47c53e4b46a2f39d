/* tutti invoke NAME[:QUALIFIER]|PATH.so [--payload JSON|@FILE] [--log]
 *   [--timeout S] [--memory MB] [--network] [--handler SYM] [--env K=V]...
 *   [--layer-dir DIR]   (a directory shown at /opt, for PATH.so runs)
 * (arguments: commands.def). Prints the result JSON and exits 0; on a function error prints
 * {"errorType": ..., "errorMessage": ...} and exits 1; usage errors exit 2.
 * A PATH (anything ending in .so or containing '/') runs that file directly,
 * with the flags as its settings; a NAME runs the registered function. */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "registry.h"
#include "log.h"
#include "termsafe.h"

static bool is_path(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') || (n > 3 && !strcmp(s + n - 3, ".so"));
}

static void print_error(const struct err *e)
{
	json_t *o = json_pack("{s:s, s:s}", "errorType", e->type, "errorMessage", e->msg);

	if (o) {
		cli_print_json(stdout, o, JSON_ENCODE_ANY);
		json_decref(o);
	}
}

static void print_log_tail(const struct rt_result *r)
{
	const size_t tail = 4096;
	const char *p = r->log;
	size_t n = r->log_len;

	if (!p || !n)
		return;
	if (n > tail) {
		p += n - tail;
		n = tail;
	}
	termsafe_write(stderr, p, n);   /* escape sequences reach no terminal */
	if (p[n - 1] != '\n')
		fputc('\n', stderr);
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

int cmd_invoke(struct cli *cli, const struct cli_args *a)
{
	struct fn_config cfg;
	struct rt_result res;
	struct err e = { 0 };
	const char *target = a->pos[0], *payload_arg = cli_str(a, OPT_PAYLOAD);
	const char *handler = cli_str(a, OPT_HANDLER), *layer_dir = cli_str(a, OPT_LAYER_DIR);
	const char *const *envs = cli_list(a, OPT_ENV);
	int nenv = (int)cli_count(a, OPT_ENV), rc = CLI_EXIT_USAGE;
	bool show_log = cli_count(a, OPT_LOG), network = cli_count(a, OPT_NETWORK), direct;
	unsigned timeout = 0, memory = 0;
	char *payload = NULL;
	size_t len = 0;
	json_error_t je;
	json_t *check;
	struct rt *rt;

	if (cli_str(a, OPT_TIMEOUT) &&
	    parse_uint(cli_str(a, OPT_TIMEOUT), FN_TIMEOUT_MIN_S, FN_TIMEOUT_MAX_S, &timeout))
		return cli_usage("invoke: --timeout must be %d-%d seconds", FN_TIMEOUT_MIN_S, FN_TIMEOUT_MAX_S);
	if (cli_str(a, OPT_MEMORY) &&
	    parse_uint(cli_str(a, OPT_MEMORY), FN_MEMORY_MIN_MB, FN_MEMORY_MAX_MB, &memory))
		return cli_usage("invoke: --memory must be %d-%d MB", FN_MEMORY_MIN_MB, FN_MEMORY_MAX_MB);
	payload = cli_read_arg(payload_arg ? payload_arg : "{}", FN_PAYLOAD_MAX + 1, &len);
	if (!payload)
		return CLI_EXIT_USAGE;
	check = json_loadb(payload, len, JSON_DECODE_ANY, &je);
	if (!check) {
		rc = cli_usage("invoke: the payload is not valid JSON: %s", je.text);
		goto out;
	}
	json_decref(check);

	direct = is_path(target);
	if (direct) {
		char real[PATH_MAX], name[FN_NAME_MAX + 1];
		const char *base;
		size_t n;

		if (!realpath(target, real)) {
			rc = cli_usage("invoke: %s: %s", target, strerror(errno));
			goto out;
		}
		base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
		n = strcspn(base, ".");
		snprintf(name, sizeof name, "%.*s", (int)(n < FN_NAME_MAX ? n : FN_NAME_MAX), base);
		fnconf_defaults(&cfg, name, real);
		snprintf(cfg.version, sizeof cfg.version, "local");
	} else {
		struct registry *reg = registry_open(cli->home, &e);

		if (!reg || registry_resolve(reg, target, &cfg, &e)) {
			registry_close(reg);
			cli_print_err(&e);
			rc = CLI_EXIT_USAGE;
			goto out;
		}
		registry_close(reg);
	}
	if (timeout)
		cfg.timeout_s = timeout;
	if (memory)
		cfg.memory_mb = memory;
	if (network)
		cfg.network = true;
	if (layer_dir && !realpath(layer_dir, cfg.opt_dir)) {
		rc = cli_usage("invoke: --layer-dir %s: %s", layer_dir, strerror(errno));
		goto out;
	}
	if (handler)
		snprintf(cfg.handler, sizeof cfg.handler, "%s", handler);
	for (int i = 0; i < nenv; i++)
		if (fnconf_add_env(&cfg, envs[i])) {
			rc = cli_usage("invoke: bad --env '%s' (K=V, all together at most %d bytes)", envs[i], FN_ENV_MAX);
			goto out;
		}

	cli->oneshot = true;
	rt = cli_rt(cli);
	if (!rt) {
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (rt_invoke(rt, &cfg, payload, len, &res)) {
		fprintf(stderr, "tutti: cannot invoke\n");
		goto out;
	}
	if (show_log)
		print_log_tail(&res);
	/* (TUTTI_LOG=info: the invocation's report, as Lambda's REPORT line) */
	log_info("REPORT RequestId: %s Duration: %.2f ms CPU: %.2f ms Max Memory Used: %llu KiB%s", res.request_id,
		 (double)res.duration_us / 1000.0, (double)res.cpu_us / 1000.0,
		 (unsigned long long)res.max_rss_kib, res.cold ? " (cold start)" : "");
	if (res.ok) {
		termsafe_write(stdout, res.payload, res.payload_len); /* C1 controls are valid JSON */
		fputc('\n', stdout);
		rc = CLI_EXIT_OK;
	} else {
		print_error(&res.err);
		rc = CLI_EXIT_FAILED;
	}
	rt_result_free(&res);
out:
	free(payload);
	return rc;
}
