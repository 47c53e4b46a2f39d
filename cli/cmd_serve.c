/* tutti serve [--listen ADDR:PORT] — the long-running server (commands.def):
 * the full service (server/service.h: store, engine, scheduler) with the
 * function runtime `tutti invoke` uses, behind the HTTP listener
 * (server/http.h, in tutti-integrations.so). Writes its URL to
 * $TUTTI_HOME/serve.endpoint (removed on exit), logs on stderr, and waits
 * in sigwait for SIGTERM, SIGINT or SIGHUP: no work in a signal handler.
 * Then stops HTTP (answering what it was answering), closes the service,
 * exit 0. Exit 1: the port is taken, another server holds the home
 * (StoreLocked), or the service cannot start. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "engine_mock.h"
#include "fsutil.h"
#include "http.h"
#include "integ_loader.h"
#include "service.h"

int cmd_serve(struct cli *cli, const struct cli_args *a)
{
	const char *listen = cli_str(a, OPT_LISTEN) ? cli_str(a, OPT_LISTEN) : HTTP_DEFAULT_LISTEN;
	const struct integ_api *api;
	struct http_options ho;
	struct http_server *h = NULL;
	struct svc_options so;
	struct svc *svc = NULL;
	struct engine_mock *mocks = NULL;
	struct s3_api *s3 = NULL;
	struct err e = { 0 };
	char path[sizeof cli->home + 32], line[HTTP_LISTEN_MAX + 32], creds[sizeof cli->home + 32];
	static const char *const sched_paths[] = HTTP_SCHEDULER_PATHS;
	sigset_t stop;
	bool wrote = false;
	int sig = 0, rc = CLI_EXIT_FAILED, r;

	/* Blocked before any thread starts (the runtime's, the service's,
	 * libmicrohttpd's): each inherits the mask, so sigwait below is
	 * the one place these signals arrive. The zygote clears its mask. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	/* --mock-config: checked before anything starts */
	if (cli_str(a, OPT_MOCK_CONFIG) && engine_mock_load(cli_str(a, OPT_MOCK_CONFIG), &mocks, &e)) {
		fprintf(stderr, "tutti serve: --mock-config %s\n", e.msg);
		return CLI_EXIT_USAGE;
	}
	api = integ_load(&e);
	if (!api) {
		cli_print_err(&e);
		goto out;
	}
	api->http_options_init(&ho);
	ho.listen = listen;
	/* Credentials: the option's file, else the home's when it exists. */
	ho.credentials = cli_str(a, OPT_CREDENTIALS);
	snprintf(creds, sizeof creds, "%s/credentials", cli->home);
	if (!ho.credentials && access(creds, F_OK) == 0)
		ho.credentials = creds;
	if (getenv("TUTTI_HTTP_THREADS"))   /* 0: a thread per connection (the default); N: a pool */
		ho.threads = (unsigned)strtoul(getenv("TUTTI_HTTP_THREADS"), NULL, 10);
	/* Bound first: a taken port is refused before the store is opened. */
	if (api->http_new(&ho, &h, &e)) {
		fprintf(stderr, "tutti serve: %s\n", e.msg);
		goto out;
	}
	if (!cli_rt(cli))
		goto out;
	svc_options_init(&so);
	so.home = cli->home;
	so.mode = SVC_SERVER;
	so.rt = cli->rt;
	so.endpoint = api->http_url(h);
	so.mocks = mocks;
	if (svc_open(&so, &svc, &e)) {
		svc = NULL;
		cli_print_err(&e);
		goto out;
	}
	__atomic_store_n(&cli->serving, svc, __ATOMIC_RELEASE);
	for (size_t i = 0; i < sizeof sched_paths / sizeof *sched_paths; i++)
		if (api->http_route(h, "*", sched_paths[i], api->http_scheduler_rest, svc, 0, &e)) {
			cli_print_err(&e);
			goto out;
		}
	/* S3 (path and virtual-host style) claims only what is not another
	 * API's (s3_api.h), so the order of the routes does not matter. */
	if (api->s3_api_open(h, cli->home, &s3, &e)) {
		cli_print_err(&e);
		goto out;
	}
	if (api->lambda_routes(h, svc, &e) || api->console_routes(h, svc, &e) ||
	    api->http_route(h, "POST", "/", api->http_aws_json, svc, 0, &e) || api->http_start(h, &e)) {
		cli_print_err(&e);
		goto out;
	}
	snprintf(path, sizeof path, "%s/" CLI_ENDPOINT_FILE, cli->home);
	snprintf(line, sizeof line, "%s\n", api->http_url(h));
	r = fs_write_atomic(path, line, strlen(line), 0600);
	if (r) {
		fprintf(stderr, "tutti serve: cannot write %s: %s\n", path, strerror(-r));
		goto out;
	}
	wrote = true;
	fprintf(stderr, "tutti serve: listening on %s%s%s%s\n", api->http_url(h),
		ho.credentials ? " (AWS Signature V4 required, keys from " : "",
		ho.credentials ? ho.credentials : "", ho.credentials ? ")" : "");
	while (sigwait(&stop, &sig) == EINTR)
		;
	fprintf(stderr, "tutti serve: %s: stopping\n", strsignal(sig));
	rc = CLI_EXIT_OK;
out:
	/* The endpoint goes first: a CLI that reads it from now on finds no
	 * server rather than one that is closing. */
	if (wrote)
		unlink(path);
	if (h)
		api->http_free(h);  /* answers the requests in flight, then closes */
	if (s3)
		api->s3_api_close(s3);
	__atomic_store_n(&cli->serving, NULL, __ATOMIC_RELEASE);
	svc_close(svc);
	engine_mock_free(mocks);
	if (rc == CLI_EXIT_OK)
		fprintf(stderr, "tutti serve: stopped\n");
	return rc;
}
