/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Workers: fork()ed processes that run one work type each and measure themselves.
 * Java mirrors: dev.ktstr.runtime.agent.WorkWire (encoding), dev.ktstr.runtime.scenario.WorkType.
 *
 * Lifecycle (two-phase start): kw_group_spawn() forks `count` children that apply their
 * affinity/policy/mempolicy and block on a start pipe; the agent moves them into their cgroup;
 * kw_group_start() releases them; kw_group_stop() sends SIGUSR1, collects one report per worker
 * over a report pipe within a deadline, then SIGKILLs stragglers. A worker that dies or does not
 * report gets a report with exit_kind != KW_EXIT_OK. Nothing is left behind.
 */
#ifndef KTSTR_WORK_H
#define KTSTR_WORK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ktstr_buf.h"

/* Work types: numbering is part of the wire format. Parameters p[0..] in this order; a 0 means
 * "use the default" (defaults from the reference: ktstr facts §7.2). */
enum kw_type {
	KW_CPU_SPIN = 1,           /* spin_burst(1024) per iteration */
	KW_YIELD_HEAVY = 2,        /* +1 work unit, sched_yield */
	KW_MIXED = 3,              /* spin_burst(1024) + sched_yield */
	KW_IO_SYNC = 4,            /* truncate, 16 x 4 KiB writes, sleep 100 us (latency sample) */
	KW_BURSTY = 5,             /* p0 burst_ms (50), p1 sleep_ms (100) */
	KW_PIPE_IO = 6,            /* p0 burst_iters (1024); pairs */
	KW_FUTEX_PING_PONG = 7,    /* p0 spin_iters (1024); pairs */
	KW_FUTEX_FAN_OUT = 8,      /* p0 fan_out (4), p1 spin_iters (1024); groups of fan_out+1 */
	KW_CACHE_PRESSURE = 9,     /* p0 size_kb (32), p1 stride (64) */
	KW_CACHE_YIELD = 10,       /* p0 size_kb (32), p1 stride (64) */
	KW_CACHE_PIPE = 11,        /* p0 size_kb (32), p1 burst_iters (1024); pairs */
	KW_SEQUENCE = 12,          /* phases[]; work units: spin steps, 1 per completed sleep or yield,
				      16 per I/O round */
	KW_FORK_EXIT = 13,         /* fork, child _exit(0), waitpid (sample) */
	KW_NICE_SWEEP = 14,        /* spin_burst(512), next nice, yield (sample) */
	KW_AFFINITY_CHURN = 15,    /* p0 spin_iters (1024) */
	KW_POLICY_CHURN = 16,      /* p0 spin_iters (1024) */
	KW_FAN_OUT_COMPUTE = 17,   /* p0 fan_out (4), p1 cache_footprint_kb (256), p2 operations (5),
				      p3 sleep_usec (100); groups of fan_out+1 */
	KW_PAGE_FAULT_CHURN = 18,  /* p0 region_kb (4096), p1 touches_per_cycle (256), p2 spin_iters (64) */
	KW_MUTEX_CONTENTION = 19,  /* p0 contenders (4), p1 hold_iters (256), p2 work_iters (1024);
				      groups of contenders */
	KW_CUSTOM = 20,            /* custom_argv: exec'd after the start gate; no framework telemetry
				      except what the agent sees from outside (cpu time, schedstat, exit) */
};
#define KW_TYPE_MAX 20
#define KW_MAX_PARAMS 4
#define KW_MAX_PHASES 32

/* Sequence phase kinds. */
enum kw_phase_kind { KW_PH_SPIN = 1, KW_PH_SLEEP = 2, KW_PH_YIELD = 3, KW_PH_IO = 4 };

/* Scheduling policies (values are the kernel's SCHED_*). */
#define KW_POLICY_NORMAL 0
#define KW_POLICY_FIFO   1
#define KW_POLICY_RR     2
#define KW_POLICY_BATCH  3
#define KW_POLICY_IDLE   5

/* Memory policies (values are the kernel's MPOL_*). */
#define KW_MPOL_DEFAULT 0
#define KW_MPOL_PREFERRED 1
#define KW_MPOL_BIND 2
#define KW_MPOL_INTERLEAVE 3
#define KW_MPOL_LOCAL 4
#define KW_MPOL_PREFERRED_MANY 5
#define KW_MPOL_WEIGHTED_INTERLEAVE 6

struct kw_phase {
	uint32_t kind;        /* enum kw_phase_kind */
	uint64_t duration_ns;
};

/*
 * A group of identical workers. Wire encoding (KTSTR_MSG_W_SPAWN payload), in order:
 *   u32 group_id, str cgroup (relative to the agent's cgroup root; "" = the root),
 *   u32 type, u32 nparams, nparams × u64 params,
 *   u32 nphases, nphases × (u32 kind, u64 duration_ns),
 *   strs custom_argv,
 *   u32 count, u32 policy, u32 priority (FIFO/RR 1..99), i32 nice,
 *   strs affinity (0 entries = inherit; else exactly count entries, each a CPU list, "" = inherit),
 *   u32 mempolicy, str mem_nodes (node list), u32 mpol_flags
 */
struct kw_group_spec {
	uint32_t group_id;
	char *cgroup;
	uint32_t type;
	uint32_t nparams;
	uint64_t params[KW_MAX_PARAMS];
	uint32_t nphases;
	struct kw_phase phases[KW_MAX_PHASES];
	char **custom_argv; /* NULL-terminated; NULL when not custom (an empty list decodes as NULL) */
	uint32_t count;
	uint32_t policy;
	uint32_t priority;
	int32_t nice;
	char **affinity;    /* NULL (inherit), or count entries followed by a NULL */
	uint32_t mempolicy;
	char *mem_nodes;
	uint32_t mpol_flags;
};

/* ---- latency histogram ------------------------------------------------------------------------
 * Log-linear, HdrHistogram-style, 8 sub-bucket bits: values below 256 ns are exact; above, each
 * power-of-two range [2^k, 2^(k+1)) for k = 8..47 is split into 128 equal buckets, so a bucket's
 * width is at most 1/128 of its lower bound (< 0.8 % relative error; < 0.4 % at the midpoint).
 *   index(v) = v                                  for v < 256
 *            = 256 + (k - 8) * 128 + ((v >> (k - 7)) - 128)   with k = floor(log2 v), for v < 2^48
 *   values >= 2^48 ns go to the last bucket.
 * Java mirror: dev.ktstr.runtime.stats.LatencyHistogram.
 */
#define KW_HIST_SUB_BITS 8
#define KW_HIST_BUCKETS (256 + 40 * 128) /* 5376 */

struct kw_hist {
	uint64_t count;  /* == the sum of buckets[] */
	uint64_t sum_ns;
	uint64_t min_ns; /* 0 when count == 0 */
	uint64_t max_ns;
	uint32_t buckets[KW_HIST_BUCKETS];
};

static inline uint32_t kw_hist_index(uint64_t v)
{
	if (v < 256)
		return (uint32_t)v;
	int k = 63 - __builtin_clzll(v);
	if (k > 47)
		return KW_HIST_BUCKETS - 1;
	return 256 + (uint32_t)(k - 8) * 128 + (uint32_t)((v >> (k - 7)) - 128);
}

void kw_hist_init(struct kw_hist *h);
/* Adds one sample. A sample whose bucket is saturated (2^32 - 1) is dropped, so that count stays
 * equal to the sum of the buckets. */
void kw_hist_record(struct kw_hist *h, uint64_t v);

/* ---- per-worker report ------------------------------------------------------------------------ */

enum kw_exit_kind {
	KW_EXIT_OK = 0,          /* reported normally */
	KW_EXIT_EXITED = 1,      /* exited without a report (exit_code valid) */
	KW_EXIT_SIGNALED = 2,    /* killed by a signal (term_signal valid) */
	KW_EXIT_TIMED_OUT = 3,   /* no report within the deadline; SIGKILLed */
	KW_EXIT_WAIT_FAILED = 4, /* waitpid failed */
	KW_EXIT_SPAWN_FAILED = 5,/* the custom program could not be exec'd (exit_code = errno) */
};

#define KW_MAX_MIGRATIONS 256 /* migrations kept with timestamps; migration_count counts all */
#define KW_MAX_NODES 64

struct kw_migration {
	uint64_t at_ns; /* since the worker's start */
	uint32_t from_cpu;
	uint32_t to_cpu;
};

/*
 * Wire encoding of one report (inside KTSTR_MSG_W_STOP's reply), in order:
 *   u32 group_id, u32 index, i32 pid, u32 exit_kind, i32 exit_code, i32 term_signal,
 *   u8 completed, u8 is_messenger,
 *   u64 work_units, u64 iterations, u64 cpu_time_ns, u64 wall_time_ns, u64 off_cpu_ns,
 *   u64 migration_count, u32 nmig, nmig × (u64 at_ns, u32 from, u32 to),
 *   str cpus_used (CPU list, e.g. "0-1,3"),
 *   u64 max_gap_ns, i32 max_gap_cpu, u64 max_gap_at_ns,
 *   u64 hist_count, u64 hist_sum_ns, u64 hist_min_ns, u64 hist_max_ns,
 *   u32 nbuckets (non-zero only), nbuckets × (u32 index, u32 count),
 *   u64 schedstat_cpu_time_ns, u64 schedstat_run_delay_ns, u64 schedstat_run_count,
 *   u64 voluntary_switches, u64 involuntary_switches,
 *   u32 nnodes, nnodes × u64 pages_on_node, u64 numa_pages_migrated,
 *   u64 children (ForkExit: children forked and reaped)
 *
 * Semantics (ktstr facts §4.4; the reasons are in work/measure.c and work/stop.c):
 *  - Every loop ends with the stop signal; completed = 1 only when it ended by itself (a Custom
 *    program that exited before the stop; an in-process run with an iteration limit).
 *  - Checkpoints every 1024 / gcd(units per iteration, 1024) iterations (Bursty: every spin burst;
 *    Sequence: per phase kind) take sched_getcpu() (migrations, cpus_used) and the gap since the
 *    previous checkpoint. Blocking calls (sleep, pipe poll, futex wait, waitpid) restart the gap
 *    reference, so blocked time is never a gap; sched_yield does not (the task stays runnable).
 *  - hist holds resume latencies across blocking calls and yields (none for CpuSpin, YieldHeavy,
 *    Mixed, CachePressure, PageFaultChurn, fan-out messengers); a call cut short by the stop
 *    signal is not a sample. FanOutCompute receivers record now - the messenger's stamp.
 *  - cpu_time_ns is CLOCK_THREAD_CPUTIME_ID over the loop; off_cpu_ns = wall - cpu; schedstat,
 *    switches and numa_pages_migrated are deltas over the loop; pages_on_node is read after it.
 *  - Sentinels (exit_kind != OK) carry identity, exit_code / term_signal and max_gap_cpu = -1 only.
 *  - Custom: no framework telemetry. cpu_time_ns, schedstat_* and the switches are read from
 *    /proc/<pid> while the program is a zombie, as deltas from a reading taken just before the
 *    start gate opened; wall_time_ns runs from the start to when its exit was seen. exit_kind OK = exited 0 or ended by the stop signal, EXITED = non-zero
 *    exit, SIGNALED = another signal. The agent reaps children as they exit: it calls
 *    kw_note_child_exiting first, while the program is still a zombie, so those figures survive.
 */
struct kw_report {
	uint32_t group_id;
	uint32_t index;
	int32_t pid;
	uint32_t exit_kind;
	int32_t exit_code;
	int32_t term_signal;
	uint8_t completed;
	uint8_t is_messenger;
	uint64_t work_units;
	uint64_t iterations;
	uint64_t cpu_time_ns;
	uint64_t wall_time_ns;
	uint64_t off_cpu_ns;
	uint64_t migration_count;
	uint32_t nmig;
	struct kw_migration migrations[KW_MAX_MIGRATIONS];
	char cpus_used[1024];
	uint64_t max_gap_ns;
	int32_t max_gap_cpu;
	uint64_t max_gap_at_ns;
	struct kw_hist hist;
	uint64_t schedstat_cpu_time_ns;
	uint64_t schedstat_run_delay_ns;
	uint64_t schedstat_run_count;
	uint64_t voluntary_switches;
	uint64_t involuntary_switches;
	uint32_t nnodes;
	uint64_t pages_on_node[KW_MAX_NODES];
	uint64_t numa_pages_migrated;
	uint64_t children;
};

/* ---- the worker module's API (implemented in work/, called by the agent) ------------------- */

struct kw_group; /* opaque */

/* Decodes a W_SPAWN payload. Returns 0, or -1 with *err set to a static message. The caller owns
 * the result and frees it with kw_spec_free. */
int kw_spec_decode(struct kbuf_reader *r, struct kw_group_spec *out, const char **err);
void kw_spec_free(struct kw_group_spec *s);
/* The inverse of kw_spec_decode (tests, golden vectors). */
void kw_spec_encode(struct kbuf *b, const struct kw_group_spec *s);

/* Validates a spec (known type, group divisibility, phases for Sequence, argv for Custom...).
 * Returns NULL when valid, else a one-line message (in a thread-local buffer, valid until the
 * calling thread's next call). */
const char *kw_spec_check(const struct kw_group_spec *s);

/* Forks the workers. When it returns, every worker has applied its affinity, policy, nice and
 * memory policy and is blocked before its loop (a worker whose setup failed fails the spawn).
 * Returns NULL with *err (malloc'd) on failure, after killing and reaping anything it forked.
 * Call it from a thread that lives as long as the workers: they get PR_SET_PDEATHSIG(SIGKILL),
 * which follows the forking thread. */
struct kw_group *kw_group_spawn(const struct kw_group_spec *spec, char **err);
uint32_t kw_group_id(const struct kw_group *g);
uint32_t kw_group_count(const struct kw_group *g);
pid_t kw_group_pid(const struct kw_group *g, uint32_t index);

/* Releases every worker of the group into its loop. */
int kw_group_start(struct kw_group *g);

/* Current iteration counters (shared memory, no syscalls into the workers). */
void kw_group_iterations(const struct kw_group *g, uint64_t *out /* count entries */);

/* Applies a new CPU list per worker (sched_setaffinity from the agent); "" = all CPUs. */
int kw_group_set_affinity(struct kw_group *g, char *const *cpus, uint32_t n, char **err);

/* Sends the stop signal (SIGUSR1) to every worker of the group without waiting. Optional: a
 * W_STOP of several groups calls it for every group first, so that all of them stop at once, and
 * then kw_group_stop for each (which signals only the groups not yet signalled). */
void kw_group_request_stop(struct kw_group *g);

/* Stops every worker, collects reports (deadline shared by all workers of all groups passed),
 * reaps the processes. `out` has room for kw_group_count(g) reports, in worker order. Returns 0
 * (every worker has a report, sentinel or not), or -1 when called twice. */
int kw_group_stop(struct kw_group *g, uint64_t deadline_ns_monotonic, struct kw_report *out);

/* Frees the group; any worker still alive is SIGKILLed and reaped first. */
void kw_group_free(struct kw_group *g);

/* Called by the agent's SIGCHLD handling for an exited child it is about to reap (still a zombie,
 * e.g. seen with waitid(WNOWAIT)): a Custom worker's /proc figures are read now, because after the
 * reap they are gone. Any other pid is ignored. */
void kw_note_child_exiting(pid_t pid);
/* Called by the agent's SIGCHLD handling for a pid it does not own; returns 1 if the pid belongs to
 * some live group (the status is recorded there), else 0. */
int kw_note_child_exit(pid_t pid, int status);

void kw_report_encode(struct kbuf *b, const struct kw_report *r);
/* The inverse of kw_report_encode: 0, or -1 on a truncated or inconsistent encoding. */
int kw_report_decode(struct kbuf_reader *rd, struct kw_report *out);

#endif /* KTSTR_WORK_H */
