// SPDX-License-Identifier: Apache-2.0
/*
 * Custom workers: a program exec'd in the worker process after the start gate. It gets no
 * framework telemetry (ktstr facts §4.4); the agent reads what is visible from outside: CPU time,
 * schedstat and context switches of the pid, from /proc before reaping it.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "work_internal.h"

int kw_custom_exec(const struct kw_group_spec *spec)
{
	sigset_t usr1, old;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &usr1, &old))
		return -1;
	if (kw_stop_flag)
		return 0; /* stopped at the gate: run nothing */
	/* The program starts with default SIGUSR1 and SIGPIPE; a stop that arrived since the check
	 * above is delivered on unblocking and ends us like it would end the program. */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	if (sigaction(SIGUSR1, &sa, NULL) || sigaction(SIGPIPE, &sa, NULL))
		return -1;
	if (sigprocmask(SIG_SETMASK, &old, NULL))
		return -1;
	execvp(spec->custom_argv[0], spec->custom_argv);
	return -1;
}

void kw_custom_measure(pid_t pid, struct kw_report *r)
{
	struct kw_proc_sample s;
	unsigned have = kw_proc_sample(pid, &s);
	if (have & KW_PROC_SCHEDSTAT) {
		r->schedstat_cpu_time_ns = s.schedstat[0];
		r->schedstat_run_delay_ns = s.schedstat[1];
		r->schedstat_run_count = s.schedstat[2];
		r->cpu_time_ns = s.schedstat[0];
	} else if (have & KW_PROC_STAT) {
		r->cpu_time_ns = s.cpu_ns;
	}
	if (have & KW_PROC_STATUS) {
		r->voluntary_switches = s.vol;
		r->involuntary_switches = s.invol;
	}
	r->off_cpu_ns = r->wall_time_ns > r->cpu_time_ns ? r->wall_time_ns - r->cpu_time_ns : 0;
}
