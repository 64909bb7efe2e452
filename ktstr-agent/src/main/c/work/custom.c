// SPDX-License-Identifier: Apache-2.0
/*
 * Custom workers: a program exec'd in the worker process after the start gate. It gets no
 * framework telemetry (ktstr facts §4.4); the agent reads what is visible from outside: CPU time,
 * schedstat and context switches of the pid, from /proc before reaping it, as deltas from a
 * reading taken while the worker was blocked at its gate.
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

static uint64_t since(uint64_t now, uint64_t base)
{
	return now > base ? now - base : 0;
}

void kw_custom_apply(const struct kw_proc_sample *s, const struct kw_proc_sample *base, struct kw_report *r)
{
	/* a figure the baseline lacks counts from the fork: setup before the gate is a sliver */
	static const struct kw_proc_sample none;
	const struct kw_proc_sample *b0 = base ? base : &none;
	if (s->have & KW_PROC_SCHEDSTAT) {
		const uint64_t *b = (b0->have & KW_PROC_SCHEDSTAT) ? b0->schedstat : none.schedstat;
		r->schedstat_cpu_time_ns = since(s->schedstat[0], b[0]);
		r->schedstat_run_delay_ns = since(s->schedstat[1], b[1]);
		r->schedstat_run_count = since(s->schedstat[2], b[2]);
		r->cpu_time_ns = r->schedstat_cpu_time_ns;
	} else if (s->have & KW_PROC_STAT) {
		r->cpu_time_ns = since(s->cpu_ns, (b0->have & KW_PROC_STAT) ? b0->cpu_ns : 0);
	}
	if (s->have & KW_PROC_STATUS) {
		int b = (b0->have & KW_PROC_STATUS) != 0;
		r->voluntary_switches = since(s->vol, b ? b0->vol : 0);
		r->involuntary_switches = since(s->invol, b ? b0->invol : 0);
	}
	r->off_cpu_ns = r->wall_time_ns > r->cpu_time_ns ? r->wall_time_ns - r->cpu_time_ns : 0;
}

void kw_custom_measure(pid_t pid, const struct kw_proc_sample *base, struct kw_report *r)
{
	struct kw_proc_sample s;
	kw_proc_sample(pid, &s);
	kw_custom_apply(&s, base, r);
}
