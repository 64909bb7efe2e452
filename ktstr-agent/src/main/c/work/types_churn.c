// SPDX-License-Identifier: Apache-2.0
/*
 * Work types that churn kernel state (ktstr facts §7.2): ForkExit (task creation and exit),
 * NiceSweep (reweighting), AffinityChurn (forced migration), PolicyChurn (class changes) and
 * PageFaultChurn (anonymous faults and zapping).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "work_internal.h"

static uint64_t seed_from_pid(void)
{
	uint64_t s = (uint64_t)getpid() * 0x9E3779B97F4A7C15ULL;
	return s ? s : 1;
}

void kw_loop_fork_exit(struct kw_worker *w)
{
	while (!kw_should_stop(w)) {
		uint64_t t0 = kw_now_ns();
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0) {
			/* EAGAIN under a pid or memory limit: back off briefly, try again */
			kw_sleep_ns(1000000);
			w->ref_ns = kw_now_ns();
			continue;
		}
		int st;
		/* The stop signal interrupts waitpid; the child must be reaped all the same. */
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		kw_after_block(w, t0);
		w->rep->children++;
		w->work_units++;
		kw_iter_done(w);
	}
}

void kw_loop_nice_sweep(struct kw_worker *w)
{
	/* Lowering nice needs CAP_SYS_NICE (or RLIMIT_NICE): without it the sweep starts at 0. */
	int low = setpriority(PRIO_PROCESS, 0, -20) == 0 ? -20 : 0;
	int cur = low == -20 ? -20 : 0;
	while (!kw_should_stop(w)) {
		kw_spin(w, 512);
		/* once stopped, no further step down: the agent lifts a stopped worker to nice 0 (stop.c) */
		if (!kw_stop_flag) {
			int next = cur >= 19 ? low : cur + 1;
			if (setpriority(PRIO_PROCESS, 0, next) == 0)
				cur = next;
			else
				low = cur; /* cannot go back down: keep sweeping what is allowed */
		}
		uint64_t t0 = kw_now_ns();
		sched_yield();
		kw_sample(w, t0);
		kw_iter_done(w);
	}
	if (setpriority(PRIO_PROCESS, 0, 0))
		fprintf(stderr, "ktstr worker %d: NiceSweep cannot reset nice to 0: %s\n", (int)getpid(),
			strerror(errno));
}

void kw_loop_affinity_churn(struct kw_worker *w)
{
	cpu_set_t initial;
	if (sched_getaffinity(0, sizeof(initial), &initial)) {
		fprintf(stderr, "ktstr worker %d: sched_getaffinity: %s\n", (int)getpid(), strerror(errno));
		return;
	}
	int cpus[CPU_SETSIZE], n = 0;
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &initial))
			cpus[n++] = i;
	if (n == 0)
		return;
	uint64_t spin = kw_param(w->spec, 0), seed = seed_from_pid();
	while (!kw_should_stop(w)) {
		kw_spin(w, spin);
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(cpus[kw_xorshift64(&seed) % (uint64_t)n], &one);
		/* EINVAL: the CPU left the cpuset meanwhile; the next pick will differ */
		(void)sched_setaffinity(0, sizeof(one), &one);
		uint64_t t0 = kw_now_ns();
		sched_yield();
		kw_sample(w, t0);
		kw_iter_done(w);
	}
	(void)sched_setaffinity(0, sizeof(initial), &initial);
}

void kw_loop_policy_churn(struct kw_worker *w)
{
	static const struct {
		int policy;
		int prio;
	} cycle[] = { { SCHED_OTHER, 0 }, { SCHED_BATCH, 0 }, { SCHED_IDLE, 0 }, { SCHED_FIFO, 1 },
		      { SCHED_RR, 1 } };
	unsigned n = 5; /* drops to 3 once an RT class is refused (no CAP_SYS_NICE, RT bandwidth) */
	unsigned i = 0;
	uint64_t spin = kw_param(w->spec, 0);
	while (!kw_should_stop(w)) {
		kw_spin(w, spin);
		/* once stopped, no further class change: the agent lifts a stopped worker out of
		 * SCHED_IDLE (stop.c) */
		if (!kw_stop_flag) {
			i = (i + 1) % n;
			struct sched_param sp = { .sched_priority = cycle[i].prio };
			if (sched_setscheduler(0, cycle[i].policy, &sp) && cycle[i].prio) {
				n = 3;
				i = 0;
				sp.sched_priority = 0;
				(void)sched_setscheduler(0, SCHED_OTHER, &sp);
			}
		}
		uint64_t t0 = kw_now_ns();
		sched_yield();
		kw_sample(w, t0);
		kw_iter_done(w);
	}
	struct sched_param sp = { .sched_priority = 0 };
	if (sched_setscheduler(0, SCHED_OTHER, &sp))
		fprintf(stderr, "ktstr worker %d: PolicyChurn cannot reset to SCHED_OTHER: %s\n", (int)getpid(),
			strerror(errno));
}

#define PAGE 4096

void kw_loop_page_fault_churn(struct kw_worker *w)
{
	size_t size = (size_t)kw_param(w->spec, 0) * 1024;
	size = (size + PAGE - 1) / PAGE * PAGE;
	uint64_t touches = kw_param(w->spec, 1), spin = kw_param(w->spec, 2);
	uint64_t pages = size / PAGE, seed = seed_from_pid();
	if (pages == 0)
		return;
	volatile uint8_t *region = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED) {
		fprintf(stderr, "ktstr worker %d: PageFaultChurn cannot map %zu bytes: %s\n", (int)getpid(), size,
			strerror(errno));
		return;
	}
	/* 4 KiB faults, not one 2 MiB one; EINVAL without THP support is fine */
	(void)madvise((void *)region, size, MADV_NOHUGEPAGE);
	while (!kw_should_stop(w)) {
		for (uint64_t t = 0; t < touches; t++)
			region[(kw_xorshift64(&seed) % pages) * PAGE] = 1;
		w->work_units += touches;
		if (madvise((void *)region, size, MADV_DONTNEED)) {
			fprintf(stderr, "ktstr worker %d: MADV_DONTNEED: %s\n", (int)getpid(), strerror(errno));
			break;
		}
		kw_spin(w, spin);
		kw_iter_done(w);
	}
	kw_meas_numa(w);
	if (munmap((void *)region, size))
		fprintf(stderr, "ktstr worker %d: munmap: %s\n", (int)getpid(), strerror(errno));
}
