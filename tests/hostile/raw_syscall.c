/* raw_syscall — make one forbidden system call with zero arguments:
 * {"name":"bpf"} (from the table below) or {"nr":N}. The test sweeps the
 * table: namespaces, mounts, modules, keys, BPF, io_uring (which would run
 * calls the filter never sees), cross-process memory access, clocks,
 * ownership, sessions...
 * Expected: Runtime.SandboxViolation naming that call. Zero arguments keep
 * it harmless should one ever be allowed; the result then says so, and
 * {"list":1} returns the table's names. */
#include "hostile.h"

#include <sys/syscall.h>

static const struct {
	const char *name;
	long nr;
} calls[] = {
#define C(n) { #n, SYS_##n },
#ifdef SYS_bpf
	C(bpf)
#endif
#ifdef SYS_io_uring_setup
	C(io_uring_setup)
#endif
#ifdef SYS_keyctl
	C(keyctl)
#endif
#ifdef SYS_add_key
	C(add_key)
#endif
#ifdef SYS_setns
	C(setns)
#endif
#ifdef SYS_pivot_root
	C(pivot_root)
#endif
#ifdef SYS_chroot
	C(chroot)
#endif
#ifdef SYS_umount2
	C(umount2)
#endif
#ifdef SYS_kexec_load
	C(kexec_load)
#endif
#ifdef SYS_reboot
	C(reboot)
#endif
#ifdef SYS_swapon
	C(swapon)
#endif
#ifdef SYS_process_vm_readv
	C(process_vm_readv)
#endif
#ifdef SYS_process_vm_writev
	C(process_vm_writev)
#endif
#ifdef SYS_perf_event_open
	C(perf_event_open)
#endif
#ifdef SYS_userfaultfd
	C(userfaultfd)
#endif
#ifdef SYS_open_by_handle_at
	C(open_by_handle_at)
#endif
#ifdef SYS_name_to_handle_at
	C(name_to_handle_at)
#endif
#ifdef SYS_kcmp
	C(kcmp)
#endif
#ifdef SYS_pidfd_open
	C(pidfd_open)
#endif
#ifdef SYS_pidfd_getfd
	C(pidfd_getfd)
#endif
#ifdef SYS_pidfd_send_signal
	C(pidfd_send_signal)
#endif
#ifdef SYS_fsopen
	C(fsopen)
#endif
#ifdef SYS_fsmount
	C(fsmount)
#endif
#ifdef SYS_move_mount
	C(move_mount)
#endif
#ifdef SYS_open_tree
	C(open_tree)
#endif
#ifdef SYS_mount_setattr
	C(mount_setattr)
#endif
#ifdef SYS_quotactl
	C(quotactl)
#endif
#ifdef SYS_acct
	C(acct)
#endif
#ifdef SYS_settimeofday
	C(settimeofday)
#endif
#ifdef SYS_clock_settime
	C(clock_settime)
#endif
#ifdef SYS_adjtimex
	C(adjtimex)
#endif
#ifdef SYS_sethostname
	C(sethostname)
#endif
#ifdef SYS_setdomainname
	C(setdomainname)
#endif
#ifdef SYS_iopl
	C(iopl)
#endif
#ifdef SYS_ioperm
	C(ioperm)
#endif
#ifdef SYS_syslog
	C(syslog)
#endif
#ifdef SYS_delete_module
	C(delete_module)
#endif
#ifdef SYS_setresuid
	C(setresuid)
#endif
#ifdef SYS_setgid
	C(setgid)
#endif
#ifdef SYS_setgroups
	C(setgroups)
#endif
#ifdef SYS_capset
	C(capset)
#endif
#ifdef SYS_personality
	C(personality)
#endif
#ifdef SYS_seccomp
	C(seccomp)
#endif
#ifdef SYS_setsid
	C(setsid)
#endif
#ifdef SYS_setpgid
	C(setpgid)
#endif
#ifdef SYS_chown
	C(chown)
#endif
#ifdef SYS_fchownat
	C(fchownat)
#endif
#ifdef SYS_execveat
	C(execveat)
#endif
#ifdef SYS_mbind
	C(mbind)
#endif
#ifdef SYS_migrate_pages
	C(migrate_pages)
#endif
#ifdef SYS_move_pages
	C(move_pages)
#endif
#ifdef SYS_vhangup
	C(vhangup)
#endif
#ifdef SYS_memfd_secret
	C(memfd_secret)
#endif
#ifdef SYS_landlock_create_ruleset
	C(landlock_create_ruleset)
#endif
#ifdef SYS_mknodat
	C(mknodat)
#endif
#undef C
};

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char name[64], out[4096] = "\"";
	long nr = (long)hj_num(event, "nr", -1), rc;
	size_t n = sizeof calls / sizeof calls[0];

	(void)len;
	if (hj_num(event, "list", 0)) {
		for (size_t i = 0; i < n; i++)
			snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? " " : "", calls[i].name);
		strcat(out, "\"");
		return tt_return(ctx, out, 0);
	}
	if (hj_str(event, "name", name, sizeof name, NULL))
		for (size_t i = 0; i < n; i++)
			if (!strcmp(calls[i].name, name))
				nr = calls[i].nr;
	if (nr < 0)
		return tt_raise(ctx, "Hostile.Usage", "give {\"name\": \"call\"} (one of the table) or {\"nr\": N}");
	rc = syscall(nr, 0L, 0L, 0L, 0L, 0L, 0L);
	return hj_return(ctx, "{\"nr\":%ld,\"rc\":%ld,\"errno\":\"%s\"}", nr, rc, rc < 0 ? hj_errname(errno) : "0");
}
