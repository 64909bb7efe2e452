// SPDX-License-Identifier: Apache-2.0
/*
 * Per-worker measurements (ktstr facts §4.4): checkpoints (scheduling gaps and CPU migrations),
 * CPU and wall time, schedstat, context switches, NUMA placement. Runs inside the worker process.
 */
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "work_internal.h"

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void mark_cpu(struct kw_worker *w, int cpu)
{
	if (cpu >= 0 && cpu < KW_LIST_BITS)
		w->used[cpu / 64] |= 1ULL << (cpu % 64);
}

void kw_meas_begin(struct kw_worker *w)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		w->nvcsw0 = (uint64_t)ru.ru_nvcsw;
		w->nivcsw0 = (uint64_t)ru.ru_nivcsw;
	}
	kw_proc_sample(0, &w->proc0);
	w->have_migrated0 = kw_proc_vmstat_migrated(&w->migrated0) == 0;
	w->last_cpu = sched_getcpu();
	mark_cpu(w, w->last_cpu);
	w->rep->max_gap_cpu = w->last_cpu;
	w->cpu0_ns = thread_cpu_ns();
	w->start_ns = kw_now_ns();
	w->ref_ns = w->start_ns;
}

void kw_checkpoint(struct kw_worker *w)
{
	struct kw_report *r = w->rep;
	uint64_t now = kw_now_ns();
	uint64_t gap = now - w->ref_ns;
	if (gap > r->max_gap_ns) {
		r->max_gap_ns = gap;
		r->max_gap_cpu = w->last_cpu;
		r->max_gap_at_ns = now - w->start_ns;
	}
	w->ref_ns = now;
	int cpu = sched_getcpu();
	if (cpu >= 0 && cpu != w->last_cpu) {
		if (r->nmig < KW_MAX_MIGRATIONS) {
			r->migrations[r->nmig].at_ns = now - w->start_ns;
			r->migrations[r->nmig].from_cpu = (uint32_t)w->last_cpu;
			r->migrations[r->nmig].to_cpu = (uint32_t)cpu;
			r->nmig++;
		}
		r->migration_count++;
		mark_cpu(w, cpu);
		w->last_cpu = cpu;
	}
}

void kw_meas_numa(struct kw_worker *w)
{
	if (w->numa_done)
		return;
	w->numa_done = 1;
	if (kw_proc_numa_pages(0, w->rep->pages_on_node, &w->rep->nnodes))
		w->rep->nnodes = 0;
}

static uint64_t delta(uint64_t end, uint64_t start)
{
	return end > start ? end - start : 0;
}

void kw_meas_end(struct kw_worker *w)
{
	struct kw_report *r = w->rep;
	uint64_t cpu = delta(thread_cpu_ns(), w->cpu0_ns);
	uint64_t end = kw_now_ns();
	r->work_units = w->work_units;
	r->iterations = w->iterations;
	r->wall_time_ns = delta(end, w->start_ns);
	r->cpu_time_ns = cpu;
	r->off_cpu_ns = delta(r->wall_time_ns, cpu);

	struct kw_proc_sample p1;
	kw_proc_sample(0, &p1);
	if (p1.have & w->proc0.have & KW_PROC_SCHEDSTAT) {
		r->schedstat_cpu_time_ns = delta(p1.schedstat[0], w->proc0.schedstat[0]);
		r->schedstat_run_delay_ns = delta(p1.schedstat[1], w->proc0.schedstat[1]);
		r->schedstat_run_count = delta(p1.schedstat[2], w->proc0.schedstat[2]);
	}
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		r->voluntary_switches = delta((uint64_t)ru.ru_nvcsw, w->nvcsw0);
		r->involuntary_switches = delta((uint64_t)ru.ru_nivcsw, w->nivcsw0);
	}
	kw_meas_numa(w);
	uint64_t migrated;
	if (w->have_migrated0 && kw_proc_vmstat_migrated(&migrated) == 0)
		r->numa_pages_migrated = delta(migrated, w->migrated0);
	/* A set too scattered for 1023 characters (hundreds of isolated CPUs) keeps the prefix that fits. */
	(void)kw_list_format(w->used, r->cpus_used, sizeof(r->cpus_used));
}
