// SPDX-License-Identifier: Apache-2.0
/*
 * ktstr-agent: PID 1 in a ktstr guest, or a child process of the ktstr CLI on bare metal.
 *   VM:         started by the kernel as /init; talks over the shared region named by ktstr.shm= with
 *               doorbells on /dev/ttyS1; logs to the console; powers the VM off at the end.
 *   bare metal: ktstr-agent --host [--cgroup-root DIR]; messages on stdin/stdout, logs on stderr.
 * One request at a time; the main loop blocks in poll() while idle.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "chan.h"
#include "log.h"

#define AGENT_VERSION 1
#define VM_TTY "/dev/ttyS1"

static volatile int crash_fd = 2;

static void crash_handler(int sig)
{
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "\nKTSTR_AGENT_CRASH signal=%d\n", sig);
	if (n > 0) {
		ssize_t w = write(crash_fd, msg, (size_t)n);
		(void)w;
	}
	if (getpid() == 1)
		vm_poweroff();
	_exit(128 + sig);
}

static void install_crash_handlers(void)
{
	static char altstack[16384];
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
	sigaltstack(&ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = crash_handler;
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
	int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void fatal(struct agent *a, const char *what)
{
	log_err("%s", what);
	char line[600];
	snprintf(line, sizeof(line), "KTSTR_AGENT_FAILED: %s", what);
	log_marker(line);
	if (a->vm)
		vm_poweroff();
	exit(2);
}

static void send_hello(struct agent *a)
{
	struct utsname u;
	uname(&u);
	struct timespec bt;
	clock_gettime(CLOCK_BOOTTIME, &bt);
	kbuf_reset(&a->out);
	kbuf_u32(&a->out, AGENT_VERSION);
	kbuf_str(&a->out, u.release);
	kbuf_u32(&a->out, (uint32_t)get_nprocs());
	kbuf_u64(&a->out, (uint64_t)bt.tv_sec * 1000000000ull + (uint64_t)bt.tv_nsec);
	kbuf_str(&a->out, a->vm ? "vm" : "host");
	kbuf_str(&a->out, a->cg_unavailable);
	if (send_event(a, KTSTR_MSG_HELLO, &a->out))
		fatal(a, "cannot send HELLO to the host");
}

static void end_run(struct agent *a)
{
	workers_cleanup(a);
	procs_cleanup(a);
	if (a->sched.running) {
		kill(a->sched.pid, SIGKILL);
		while (waitpid(a->sched.pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	cg_cleanup(a);
	if (!a->vm && !a->cg_unavailable[0])
		rmdir(a->cg_root);
}

static void usage(void)
{
	fprintf(stderr, "usage: ktstr-agent --host [--cgroup-root DIR]\n"
			"  (as PID 1 in a ktstr VM it takes no arguments)\n");
}

int main(int argc, char **argv)
{
	static struct agent a;
	char err[512] = "";
	a.vm = getpid() == 1;
	a.kmsg_fd = -1;
	a.sched.out.fd = -1;
	kbuf_init(&a.out);
	char cg_root[512];
	snprintf(cg_root, sizeof(cg_root), "/sys/fs/cgroup/ktstr");
	if (!a.vm) {
		int host = 0;
		snprintf(cg_root, sizeof(cg_root), "/sys/fs/cgroup/ktstr-%d", (int)getpid());
		for (int i = 1; i < argc; i++) {
			if (strcmp(argv[i], "--host") == 0) {
				host = 1;
			} else if (strcmp(argv[i], "--cgroup-root") == 0 && i + 1 < argc) {
				snprintf(cg_root, sizeof(cg_root), "%s", argv[++i]);
			} else {
				usage();
				return 2;
			}
		}
		if (!host) {
			usage();
			return 2;
		}
		/* Orphaned grandchildren of workers come back to us to be reaped. */
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	}
	install_crash_handlers();
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	a.sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (a.sigfd < 0)
		fatal(&a, "signalfd failed");

	if (a.vm) {
		if (vm_init(err, sizeof(err)) != 0)
			fatal(&a, err);
		crash_fd = log_fd();
		log_marker("KTSTR_AGENT_STARTED");
		if (cmdline_has("ktstr.bench_poweroff"))
			vm_poweroff(); /* boot-time benchmarks: init reached, nothing else */
		uint64_t gpa, size;
		if (cmdline_shm(&gpa, &size) != 0)
			fatal(&a, "no ktstr.shm=<gpa>,<size> on the kernel command line");
		a.chan = chan_open_shm(gpa, size, VM_TTY, err, sizeof(err));
		if (!a.chan)
			fatal(&a, err);
	} else {
		a.chan = chan_open_fds(0, 1);
		if (!a.chan)
			fatal(&a, "out of memory");
	}
	if (cg_setup(&a, cg_root, err, sizeof(err)) != 0) {
		/* Not fatal: requests that need cgroups will fail with this reason. */
		log_warn("cgroups unavailable: %s", err);
	}
	a.kmsg_fd = kmsg_open();
	send_hello(&a);

	for (;;) {
		struct ktstr_msg_hdr h;
		uint8_t *payload;
		int got;
		while ((got = chan_next(a.chan, &h, &payload)) == 1) {
			if (h.type == KTSTR_MSG_POWEROFF) {
				free(payload);
				log_info("power off requested");
				end_run(&a);
				if (a.vm)
					vm_poweroff();
				return 0;
			}
			rpc_dispatch(&a, &h, payload);
			free(payload);
		}
		if (got < 0)
			fatal(&a, chan_error(a.chan));
		int timeout = pending_tick(&a);

		struct pollfd fds[64];
		nfds_t nf = 0;
		fds[nf++] = (struct pollfd){chan_fd(a.chan), POLLIN, 0};
		fds[nf++] = (struct pollfd){a.sigfd, POLLIN, 0};
		if (a.kmsg_fd >= 0)
			fds[nf++] = (struct pollfd){a.kmsg_fd, POLLIN, 0};
		nfds_t fixed = nf;
		struct capture *caps[64];
		if (a.sched.out.fd >= 0) {
			caps[nf] = &a.sched.out;
			fds[nf++] = (struct pollfd){a.sched.out.fd, POLLIN, 0};
		}
		for (size_t i = 0; i < a.nprocs && nf < 64; i++) {
			if (a.procs[i].out.fd >= 0) {
				caps[nf] = &a.procs[i].out;
				fds[nf++] = (struct pollfd){a.procs[i].out.fd, POLLIN, 0};
			}
		}
		int pr = poll(fds, nf, timeout);
		if (pr < 0 && errno != EINTR)
			fatal(&a, "poll failed");
		if (pr <= 0)
			continue;
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (chan_pump(a.chan) != 0) {
				log_warn("host channel closed: %s", chan_error(a.chan));
				end_run(&a);
				if (a.vm)
					vm_poweroff();
				return 0;
			}
		}
		if (fds[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(a.sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGCHLD)
					continue;
				if (!a.vm) {
					log_info("signal %u: cleaning up", si.ssi_signo);
					end_run(&a);
					return 128 + (int)si.ssi_signo;
				}
			}
			reap_children(&a);
		}
		if (a.kmsg_fd >= 0 && (fds[2].revents & POLLIN))
			kmsg_read(&a);
		for (nfds_t i = fixed; i < nf; i++)
			if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
				capture_read(caps[i]);
	}
}
