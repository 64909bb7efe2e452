/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal interfaces of the worker module (the files in work/). Not part of the agent's API: the agent
 * uses ktstr_work.h only. The unit tests and the benchmark include this file to drive the
 * work-type loops in-process.
 */
#ifndef KTSTR_WORK_INTERNAL_H
#define KTSTR_WORK_INTERNAL_H

#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "ktstr_work.h"

/* ---- spec helpers (spec.c) ------------------------------------------------------------------- */

/* The work type's name as in ktstr facts §7.2 ("CpuSpin"), or "?" for an unknown id. */
const char *kw_type_name(uint32_t type);
/* Parameter i of the spec, or its default when it is 0 or absent. */
uint64_t kw_param(const struct kw_group_spec *s, unsigned i);
/* Workers that share pipes or a futex page (2 for pairs, fan_out + 1, contenders), else 1. */
uint32_t kw_group_size(const struct kw_group_spec *s);
/* A deep copy; 0, or -1 when out of memory (out is then empty). */
int kw_spec_copy(struct kw_group_spec *out, const struct kw_group_spec *in);

/* ---- CPU and node lists (cpulist.c): "0-3,5" ------------------------------------------------ */

#define KW_LIST_BITS 1024 /* CPUs and nodes 0..1023 (CPU_SETSIZE) */
#define KW_LIST_WORDS (KW_LIST_BITS / 64)

/* Parses a list ("" = empty set; whitespace around items is allowed). 0, or -1 on a malformed list
 * or an id >= KW_LIST_BITS. */
int kw_list_parse(const char *s, uint64_t bits[KW_LIST_WORDS]);
/* Formats a set as a list ("0-2,5"); always NUL-terminates; returns the length, or -1 when it
 * did not fit. */
int kw_list_format(const uint64_t bits[KW_LIST_WORDS], char *buf, size_t cap);
void kw_list_to_cpuset(const uint64_t bits[KW_LIST_WORDS], cpu_set_t *set);
int kw_list_empty(const uint64_t bits[KW_LIST_WORDS]);

/* ---- /proc readers (procfs.c); pid 0 = the calling process ----------------------------------- */

struct kw_proc_sample {
	uint64_t schedstat[3];   /* /proc/<pid>/schedstat: on-CPU ns, run-delay ns, timeslices */
	uint64_t cpu_ns;         /* utime + stime from /proc/<pid>/stat, in ns */
	uint64_t vol, invol;     /* voluntary / nonvoluntary_ctxt_switches from /proc/<pid>/status */
	uint64_t minflt;         /* minor faults (/proc/<pid>/stat field 10) */
	unsigned have;           /* KW_PROC_* bits of what could be read */
};
#define KW_PROC_SCHEDSTAT 1u
#define KW_PROC_STAT 2u
#define KW_PROC_STATUS 4u

/* Reads what it can; returns `have`. */
unsigned kw_proc_sample(pid_t pid, struct kw_proc_sample *out);
/* Resident pages per node from /proc/<pid>/numa_maps (N<node>=<pages>); *nnodes = highest node
 * seen + 1 (0 without NUMA support). 0, or -1 when the file is absent. */
int kw_proc_numa_pages(pid_t pid, uint64_t pages[KW_MAX_NODES], uint32_t *nnodes);
/* numa_pages_migrated from /proc/vmstat. 0, or -1 when absent. */
int kw_proc_vmstat_migrated(uint64_t *out);

/* ---- the worker (worker.c, measure.c) --------------------------------------------------------- */

/* Set by the SIGUSR1 handler in a worker process; owned by worker.c. */
extern volatile sig_atomic_t kw_stop_flag;

/* One worker's state inside its own process. */
struct kw_worker {
	const struct kw_group_spec *spec;
	uint32_t index;          /* within the group */
	uint32_t rank;           /* within its subgroup (pair, fan-out group, mutex group); 0 = first */
	void *sub_shm;           /* the subgroup's MAP_SHARED block (futex words), or NULL */
	int pipe_rd, pipe_wr;    /* pair pipes (PipeIo, CachePipe), else -1 */
	uint64_t *iter_slot;     /* MAP_SHARED iteration counter read by kw_group_iterations */
	uint64_t max_iters;      /* stop after this many iterations (tests); 0 = until stopped */
	struct kw_report *rep;   /* filled by kw_meas_end */

	/* measurement state */
	uint64_t work_units;
	uint64_t iterations;
	uint32_t period;         /* checkpoint every `period` iterations (0 = only explicit ones) */
	uint32_t since_cp;
	uint64_t start_ns;       /* loop start, CLOCK_MONOTONIC */
	uint64_t ref_ns;         /* gap reference: last checkpoint or end of a blocking call */
	int last_cpu;
	uint64_t used[KW_LIST_WORDS];
	uint64_t cpu0_ns;
	struct kw_proc_sample proc0;
	uint64_t nvcsw0, nivcsw0;
	uint64_t migrated0;
	int have_migrated0;
	int numa_done;           /* pages_on_node already read (kw_meas_numa) */
};

/* Prepares a worker for an in-process run (no fork): zeroes it and the report, fills identities. */
void kw_worker_init(struct kw_worker *w, const struct kw_group_spec *spec, uint32_t index,
		    void *sub_shm, uint64_t *iter_slot, struct kw_report *rep);
/* Runs the work type's loop with measurements until stopped (or max_iters). Custom is not run here. */
void kw_worker_run(struct kw_worker *w);
/* The body of a forked worker; never returns. `parent` is the agent's pid (for PDEATHSIG). */
_Noreturn void kw_worker_main(const struct kw_group_spec *spec, uint32_t index, pid_t parent,
			      int gate_rd, int report_wr, int pipe_rd, int pipe_wr, void *sub_shm,
			      uint64_t *iter_slot);

/* Records on the report pipe: a ready record after setup, then one report record. */
#define KW_REC_READY 0x44525750U  /* "PWRD" */
#define KW_REC_REPORT 0x50525750U /* "PWRP" */
struct kw_ready_rec {
	uint32_t magic;
	int32_t err;   /* errno of the failed step, 0 when ready */
	uint32_t step; /* enum kw_setup_step */
};
enum kw_setup_step { KW_STEP_NONE, KW_STEP_FDS, KW_STEP_SIGNALS, KW_STEP_AFFINITY, KW_STEP_POLICY,
		     KW_STEP_NICE, KW_STEP_MEMPOLICY, KW_STEP_PDEATHSIG, KW_STEP_PGID };
const char *kw_step_name(uint32_t step);

/* measure.c */
void kw_meas_begin(struct kw_worker *w);
void kw_checkpoint(struct kw_worker *w);
void kw_meas_end(struct kw_worker *w);
/* Reads pages_on_node now: loops call it before they unmap their working set, so that the report
 * shows where that memory lived (kw_meas_end reads it otherwise). */
void kw_meas_numa(struct kw_worker *w);

static inline uint64_t kw_now_ns(void)
{
	struct timespec ts;
	/* CLOCK_MONOTONIC cannot fail with a valid timespec pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static inline int kw_should_stop(const struct kw_worker *w)
{
	return kw_stop_flag || (w->max_iters && w->iterations >= w->max_iters);
}

/* End of one outer iteration: publish the counter, checkpoint every `period` iterations. */
static inline void kw_iter_done(struct kw_worker *w)
{
	w->iterations++;
	__atomic_store_n(w->iter_slot, w->iterations, __ATOMIC_RELAXED);
	if (w->period && ++w->since_cp >= w->period) {
		w->since_cp = 0;
		kw_checkpoint(w);
	}
}

/* A resume latency measured from t0 (a call that leaves the task runnable, e.g. sched_yield):
 * recorded, but the gap reference stays, so time spent runnable-but-waiting counts as a gap.
 * A call cut short by the stop signal is not a sample. */
static inline uint64_t kw_sample(struct kw_worker *w, uint64_t t0)
{
	uint64_t now = kw_now_ns();
	if (!kw_stop_flag)
		kw_hist_record(&w->rep->hist, now - t0);
	return now;
}

/* After a blocking call begun at t0 (sleep, pipe or futex wait, waitpid): the latency is recorded
 * and the gap reference restarts, so the blocked time itself is never a gap (facts §4.4). */
static inline void kw_after_block(struct kw_worker *w, uint64_t t0)
{
	w->ref_ns = kw_sample(w, t0);
}

static inline void kw_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("pause");
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/* spin_burst(n): n opaque increments with a spin-loop hint each; n work units. */
static inline void kw_spin(struct kw_worker *w, uint64_t n)
{
	uint64_t x = w->work_units;
	for (uint64_t i = 0; i < n; i++) {
		x++;
		__asm__ __volatile__("" : "+r"(x));
		kw_cpu_relax();
	}
	w->work_units = x;
}

/* xorshift64 (Marsaglia); the state must be non-zero. */
static inline uint64_t kw_xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* Sleeps ns (EINTR ends it early: the stop signal). */
void kw_sleep_ns(uint64_t ns);

/* ---- the work-type loops (types_*.c) ---------------------------------------------------------- */

typedef void (*kw_loop_fn)(struct kw_worker *w);
/* The loop of a type (NULL for Custom / unknown) and its checkpoint period in iterations. */
kw_loop_fn kw_loop_for(const struct kw_group_spec *s, uint32_t rank, uint32_t *period);

void kw_loop_cpu_spin(struct kw_worker *w);
void kw_loop_yield_heavy(struct kw_worker *w);
void kw_loop_mixed(struct kw_worker *w);
void kw_loop_io_sync(struct kw_worker *w);
void kw_loop_bursty(struct kw_worker *w);
void kw_loop_cache_pressure(struct kw_worker *w);
void kw_loop_cache_yield(struct kw_worker *w);
void kw_loop_sequence(struct kw_worker *w);
void kw_loop_pipe_io(struct kw_worker *w);
void kw_loop_cache_pipe(struct kw_worker *w);
void kw_loop_futex_ping_pong(struct kw_worker *w);
void kw_loop_futex_fan_out(struct kw_worker *w);
void kw_loop_fan_out_compute(struct kw_worker *w);
void kw_loop_mutex_contention(struct kw_worker *w);
void kw_loop_fork_exit(struct kw_worker *w);
void kw_loop_nice_sweep(struct kw_worker *w);
void kw_loop_affinity_churn(struct kw_worker *w);
void kw_loop_policy_churn(struct kw_worker *w);
void kw_loop_page_fault_churn(struct kw_worker *w);

/* CachePipe's working set (types_cpu.c): `steps` read-modify-writes 64 bytes apart in a size_kb
 * buffer allocated on first use in *state. 0, or -1 when the buffer cannot be mapped. */
int kw_cache_pipe_rmw(struct kw_worker *w, void **state, uint64_t steps);
void kw_cache_pipe_free(struct kw_worker *w, void *state); /* reads pages_on_node first */

/* Bytes of the per-subgroup shared block (futex words); one cache line is enough for every type. */
#define KW_SUB_SHM_BYTES 64
/* Bytes per iteration counter (own cache line: workers never share one). */
#define KW_ITER_SLOT_BYTES 64

/* ---- the agent side (group.c, stop.c) -------------------------------------------------------- */

/* One worker as the agent tracks it. */
struct kw_slot {
	pid_t pid;          /* -1 before fork */
	int rfd;            /* report pipe, read end (non-blocking); -1 once at EOF */
	int pidfd;          /* Custom: readable once the program exits (not reaped); -1 otherwise */
	struct kbuf in;     /* bytes received after the ready record */
	int ready;          /* the ready record was read */
	int eof;
	int exited;         /* Custom: seen exited (zombie or reaped) */
	int reaped;         /* status is valid and the pid is no longer ours to signal */
	int by_agent;       /* reaped by the agent's loop (kw_note_child_exit), not by us */
	int wait_failed;
	int timed_out;      /* still running at the deadline: killed */
	int status;
	uint64_t exit_ns;   /* Custom: when the exit was seen */
	struct kw_proc_sample base;   /* Custom: /proc read just before the start gate opened */
	struct kw_proc_sample zombie; /* Custom: /proc read while a zombie, before the agent reaped it */
	uint64_t stop_ns;   /* when the stop signal was sent */
};

struct kw_group {
	struct kw_group_spec spec; /* deep copy */
	uint32_t count;
	uint32_t gsize;
	struct kw_slot *w;
	uint8_t *shm;              /* count iteration slots, then one block per subgroup */
	size_t shm_len;
	int gate_wr;               /* start gate, write end; -1 once started */
	int started;
	int stop_requested;
	int stopped;
	uint64_t start_ns;
	struct kw_group *next;     /* live groups (kw_note_child_exit) */
};

/* Reads what is available on a slot's report pipe into s->in (sets eof). 0, or -1 on error. */
int kw_slot_drain(struct kw_slot *s);
/* The complete report record at the start of s->in, decoded into r: 1, 0 when incomplete, -1 when
 * garbled. */
int kw_slot_report(const struct kw_slot *s, struct kw_report *r);
/* Kills a slot's worker and its process group (SIGKILL) unless it was reaped. */
void kw_slot_kill(struct kw_slot *s);
/* Reaps a slot's worker (blocking) unless it was reaped already. */
void kw_slot_reap(struct kw_slot *s);

/* ---- Custom (custom.c) ------------------------------------------------------------------------ */

/* In the worker, after the start gate: execs argv (PATH lookup when argv[0] has no '/'). Returns
 * 0 when the stop signal came first (nothing run), -1 with errno when exec failed. */
int kw_custom_exec(const struct kw_group_spec *spec);
/* In the agent: fills r's CPU time, schedstat and switches from what is visible of pid from
 * outside (a zombie not yet reaped), as deltas from `base` (the worker blocked at its gate);
 * off_cpu from r->wall_time_ns, which the caller sets first. */
void kw_custom_measure(pid_t pid, const struct kw_proc_sample *base, struct kw_report *r);
/* The same from a sample taken earlier (kw_note_child_exiting); a sample with nothing read leaves
 * only off_cpu = wall. */
void kw_custom_apply(const struct kw_proc_sample *s, const struct kw_proc_sample *base, struct kw_report *r);

#endif /* KTSTR_WORK_INTERNAL_H */
