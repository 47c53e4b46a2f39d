/* The sandbox sequence as a table of named steps: every stage has a name,
 * names are unique, and a failing step is reported by the loop with its
 * stage (so, its name) and errno on the report descriptor. Needs root
 * (the child gets new mount and PID namespaces). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proto.h"
#include "sandbox.h"

START_TEST(test_stage_names)
{
	for (int i = 0; i < SANDBOX_STAGE__COUNT; i++) {
		const char *a = sandbox_stage_to_string(i);

		ck_assert_ptr_nonnull(a);
		ck_assert_str_ne(a, "unknown stage");
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(a, sandbox_stage_to_string(j));
	}
	ck_assert_str_eq(sandbox_stage_to_string(SANDBOX_STAGE_PIVOT), "pivot_root");
	ck_assert_str_eq(sandbox_stage_to_string(-1), "unknown stage");
	ck_assert_str_eq(sandbox_stage_to_string(SANDBOX_STAGE__COUNT), "unknown stage");
	/* The generic steps end with the filter; the rest follow. */
	ck_assert_int_lt(SANDBOX_STAGE_SECCOMP, SANDBOX_STAGE_FDS);
	ck_assert_int_lt(SANDBOX_STAGE_IDS, SANDBOX_STAGE_REARM);
	ck_assert_int_lt(SANDBOX_STAGE_REARM, SANDBOX_STAGE_CONFIG);
}
END_TEST

/* A root directory that does not exist: the steps before ROOT_TMPFS pass,
 * ROOT_TMPFS fails with ENOENT, and that is what comes back. */
START_TEST(test_failing_step_is_named)
{
	struct sandbox_base b;
	struct proto_hdr h;
	int sv[2], status;
	int32_t v[2] = { -1, 0 };
	char detail[256] = "";
	pid_t pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	memset(&b, 0, sizeof b);
	for (int i = 0; i < SANDBOX_KEEP_MAX; i++)
		b.keep[i] = -1;
	for (int i = 0; i < CGROUP_FDS; i++)
		b.cg_fds[i] = -1;
	b.report_fd = sv[1];
	b.hostns_fd = b.life_fd = -1;
	b.netns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(b.netns_fd, 0);
	b.root_dir = "/nonexistent/tutti-test-root";
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWNS | CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		sandbox_prepare(&b);
		_exit(0); /* not reached: the step fails */
	}
	close(sv[1]);
	ck_assert_int_eq(proto_read_full(sv[0], &h, sizeof h), 0);
	ck_assert_uint_eq(h.type, PROTO_SETUP_ERROR);
	ck_assert_uint_ge(h.len, sizeof v);
	ck_assert_uint_lt(h.len, sizeof v + sizeof detail);
	ck_assert_int_eq(proto_read_full(sv[0], v, sizeof v), 0);
	ck_assert_int_eq(proto_read_full(sv[0], detail, h.len - sizeof v), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(v[0] == SANDBOX_STAGE_ROOT_TMPFS, "failed at %s", sandbox_stage_to_string(v[0]));
	ck_assert_int_eq(v[1], ENOENT);
	ck_assert_str_eq(detail, "/nonexistent/tutti-test-root");
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 127);
	close(sv[0]);
	close(b.netns_fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("steps");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_stage_names);
	tcase_add_test(tc, test_failing_step_is_named);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
