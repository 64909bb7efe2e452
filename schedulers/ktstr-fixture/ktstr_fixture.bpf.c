/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktstr_fixture: the harness's own sched_ext scheduler. It is a FIFO scheduler with ktstr's six
 * built-in flags (llc, borrow, steal, rebal, reject-pin, no-ctrl; the last is the loader's), so a
 * gauntlet over those flags exercises real behaviour, and it can be told to fail in each way the
 * harness must report.
 *
 * Queues. Without --llc-aware every task waits in one shared FIFO DSQ that every CPU consumes.
 * A task that is the last runnable one of its CPU goes back to that CPU's local DSQ
 * (SCX_OPS_ENQ_LAST), so a lone task keeps its CPU without the kernel's keep-last fallback.
 * With it there is one DSQ per last-level cache (the loader passes the CPU -> LLC map it reads from
 * sysfs): a task queues on the DSQ of the LLC of the CPU it is enqueued on, and a CPU consumes only
 * its own LLC's DSQ.
 *
 * Flags:
 * - llc_aware:     per-LLC DSQs, as above.
 * - steal:         (only with llc_aware) a CPU serves another LLC's DSQ first when that one is at
 *                  least two longer than its own (the queues even out under overload); a CPU whose
 *                  LLC DSQ is empty takes the oldest task it may run from the other LLCs' DSQs,
 *                  nearest LLC id first, before going idle; and a queued task wakes an idle CPU of
 *                  any LLC (which then steals it).
 * - borrow:        a waking task may be placed on an idle CPU outside its previous CPU's LLC (the
 *                  kernel's system-wide idle search), and queued work may wake idle CPUs of other
 *                  LLCs. Without it a waking task stays in its LLC: its previous CPU or an idle CPU of
 *                  the same LLC, else it queues; queued work wakes only idle CPUs of its own LLC.
 * - rebalance_ns:  a BPF timer runs every rebalance_ns: it moves queued tasks that may run anywhere
 *                  out of the longest LLC DSQ, to the LLC with the most idle CPUs (one per idle CPU)
 *                  or, when none idles, to the shortest DSQ (half the difference, when it is at least
 *                  two); then it kicks every idle CPU that has queued work it may take.
 * - reject_pinned: tasks allowed on exactly one CPU lose their fast path. Without the flag such a
 *                  task, when it wakes up, goes straight to its CPU's local DSQ if that is empty
 *                  (ahead of the shared queue); with it the fast path is refused and it waits in the
 *                  shared/LLC DSQ like any other task, until its one CPU takes it.
 * Counters for each (nr_llc_queued, nr_borrowed, nr_steals, nr_rebal_*, nr_local: pinned wakeups
 * that took the fast path, nr_pinned_queued: pinned wakeups refused it; and nr_direct, nr_kicks)
 * are in .bss; the loader's control thread prints them.
 *
 * Failure modes:
 * - stall:       user tasks are queued but never dispatched, so the kernel's watchdog ejects the
 *                scheduler with "runnable task stall". Kernel threads keep running (they go to the
 *                built-in global queue, which the kernel drains itself), so the watchdog work that
 *                detects the stall runs even when every CPU is otherwise idle. Triggered after
 *                stall_after_ns, or at once when the host (or SIGUSR1 to the loader) sets .bss stall.
 * - exit:        scx_bpf_exit() with exit_code and a message after exit_after_ns.
 * - error:       scx_bpf_error() after error_after_ns (the kernel ejects it: "scx_bpf_error").
 * - unfair:      user tasks with an even pid get a 20 ms slice, odd ones 0.2 ms, so under
 *                contention the even half gets almost all CPU time.
 * - fail-verify: the loader enables fixture_fail_verify, a program the verifier rejects after
 *                walking a bounded loop (its log shows the loop body once per iteration).
 *
 * Built by ktstr from tools/sched_ext of the kernel's own source package, with its headers.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define SHARED_DSQ 0
#define LLC_DSQ_BASE 1
#define MAX_CPUS 512
#define MAX_LLCS 64
#define FAVOURED_SLICE_NS (20ULL * 1000 * 1000)
#define STARVED_SLICE_NS (200ULL * 1000)

const volatile u64 stall_after_ns;	/* 0: never */
const volatile u64 exit_after_ns;	/* 0: never */
const volatile u64 error_after_ns;	/* 0: never */
const volatile u64 exit_code = 1;
const volatile bool unfair;

const volatile bool llc_aware;
const volatile bool steal;
const volatile bool borrow;
const volatile bool reject_pinned;
const volatile u64 rebalance_ns;	/* 0: no rebalancing timer */
const volatile u32 nr_cpus = 1;		/* possible CPUs, <= MAX_CPUS */
const volatile u32 nr_llcs = 1;		/* <= MAX_LLCS */
const volatile u32 cpu_llc[MAX_CPUS];	/* dense LLC index of each CPU */

/* Host-writable (guest memory) and loader-writable (SIGUSR1): non-zero stops dispatching. */
volatile u32 stall;

u64 started_at;
u64 nr_enqueued, nr_dispatched, nr_kthreads;
u64 nr_llc_queued, nr_direct, nr_borrowed, nr_local, nr_pinned_queued, nr_steals, nr_kicks;
u64 nr_rebal_runs, nr_rebal_moved;

/* Per-LLC queue lengths and idle CPUs of the last rebalance run (only the timer writes them). */
u32 llc_depth[MAX_LLCS];
u32 llc_idle[MAX_LLCS];

UEI_DEFINE(uei);

struct rebal_timer {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct rebal_timer);
} rebal_timer SEC(".maps");

static bool is_kthread(const struct task_struct *p)
{
	return p->flags & PF_KTHREAD;
}

static u64 slice_for(const struct task_struct *p)
{
	if (!unfair)
		return SCX_SLICE_DFL;
	return (p->pid & 1) ? STARVED_SLICE_NS : FAVOURED_SLICE_NS;
}

static u32 llc_of(s32 cpu)
{
	u32 llc;

	if ((u32)cpu >= MAX_CPUS)
		return 0;
	llc = cpu_llc[cpu];
	return llc < nr_llcs ? llc : 0;
}

/* The DSQ a task enqueued on @cpu waits in. */
static u64 dsq_for_cpu(s32 cpu)
{
	return llc_aware ? LLC_DSQ_BASE + llc_of(cpu) : SHARED_DSQ;
}

/* Applies the timed failure modes; true while user tasks must not be dispatched. */
static bool check_triggers(void)
{
	u64 elapsed = bpf_ktime_get_ns() - started_at;

	if (exit_after_ns && elapsed >= exit_after_ns) {
		scx_bpf_exit(exit_code, "ktstr_fixture: exiting after %llu ms as asked (--exit-after)",
			     exit_after_ns / 1000000);
		return true;
	}
	if (error_after_ns && elapsed >= error_after_ns) {
		scx_bpf_error("ktstr_fixture: error after %llu ms as asked (--error-after)",
			      error_after_ns / 1000000);
		return true;
	}
	if (stall_after_ns && elapsed >= stall_after_ns && !stall)
		stall = 1;
	return stall != 0;
}

/* Claims an idle CPU of @llc that @p may run on, or returns -1. */
static s32 pick_idle_in_llc(const struct task_struct *p, u32 llc)
{
	u32 i;

	bpf_for(i, 0, nr_cpus) {
		if (i >= MAX_CPUS)
			break;
		if (cpu_llc[i] != llc || !bpf_cpumask_test_cpu(i, p->cpus_ptr))
			continue;
		if (scx_bpf_test_and_clear_cpu_idle(i))
			return i;
	}
	return -1;
}

/*
 * Wakes an idle CPU that can take @p from the DSQ it was just queued on (@p waits on behalf of
 * @cpu): any idle CPU @p may use when every CPU consumes that queue (shared DSQ with borrow, LLC
 * DSQs with steal), else an idle CPU of @cpu's LLC.
 */
static void kick_idle_for(const struct task_struct *p, s32 cpu)
{
	bool anywhere = llc_aware ? steal : borrow;
	s32 idle;

	if (anywhere)
		idle = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	else
		idle = pick_idle_in_llc(p, llc_of(cpu));
	if (idle >= 0) {
		scx_bpf_kick_cpu(idle, SCX_KICK_IDLE);
		__sync_fetch_and_add(&nr_kicks, 1);
	}
}

s32 BPF_STRUCT_OPS(fixture_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu = prev_cpu;

	if (borrow) {
		cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	} else if (bpf_cpumask_test_cpu(prev_cpu, p->cpus_ptr) && scx_bpf_test_and_clear_cpu_idle(prev_cpu)) {
		is_idle = true;
	} else {
		s32 idle = pick_idle_in_llc(p, llc_of(prev_cpu));

		if (idle >= 0) {
			cpu = idle;
			is_idle = true;
		}
	}

	/* Direct dispatch would bypass the stall: only when not stalling. */
	if (is_idle && !stall && !is_kthread(p)) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_for(p), 0);
		__sync_fetch_and_add(&nr_direct, 1);
		__sync_fetch_and_add(&nr_dispatched, 1);
		if (llc_of(cpu) != llc_of(prev_cpu))
			__sync_fetch_and_add(&nr_borrowed, 1);
	}
	return cpu;
}

void BPF_STRUCT_OPS(fixture_enqueue, struct task_struct *p, u64 enq_flags)
{
	s32 cpu;

	if (is_kthread(p)) {
		/* The kernel drains the global DSQ itself, with or without ops.dispatch. */
		__sync_fetch_and_add(&nr_kthreads, 1);
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
		return;
	}
	__sync_fetch_and_add(&nr_enqueued, 1);
	if ((enq_flags & SCX_ENQ_LAST) && !stall) {
		/* Nothing else wants this CPU (SCX_OPS_ENQ_LAST): keep it here rather than keep-last. */
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_for(p), enq_flags);
		__sync_fetch_and_add(&nr_dispatched, 1);
		return;
	}
	cpu = scx_bpf_task_cpu(p);
	if (p->nr_cpus_allowed == 1 && (enq_flags & SCX_ENQ_WAKEUP)) {
		/*
		 * The fast path: a waking pinned task goes to its CPU's local DSQ, ahead of the queue,
		 * but only into an empty one. Re-enqueued (expired, preempted) pinned tasks queue like
		 * any other, so the local DSQ drains and the queue (and the global DSQ of kernel
		 * threads, which is consumed only when the local DSQ is empty) always gets its turn.
		 */
		if (reject_pinned) {
			__sync_fetch_and_add(&nr_pinned_queued, 1);
		} else if (!stall && scx_bpf_dsq_nr_queued(SCX_DSQ_LOCAL_ON | cpu) == 0) {
			scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL_ON | cpu, slice_for(p), enq_flags);
			__sync_fetch_and_add(&nr_local, 1);
			__sync_fetch_and_add(&nr_dispatched, 1);
			return;
		}
	}
	if (llc_aware)
		__sync_fetch_and_add(&nr_llc_queued, 1);
	scx_bpf_dsq_insert(p, dsq_for_cpu(cpu), slice_for(p), enq_flags);
	if (!stall)
		kick_idle_for(p, cpu);
}

void BPF_STRUCT_OPS(fixture_dispatch, s32 cpu, struct task_struct *prev)
{
	u32 own, i;

	if (check_triggers())
		return;
	if (!llc_aware) {
		if (scx_bpf_dsq_move_to_local(SHARED_DSQ, 0))
			__sync_fetch_and_add(&nr_dispatched, 1);
		return;
	}
	own = llc_of(cpu);
	if (steal) {
		/* An LLC queue at least two longer than ours is served first: queues even out. */
		s32 mine = scx_bpf_dsq_nr_queued(LLC_DSQ_BASE + own), most = mine + 1;
		u32 victim = own;

		bpf_for(i, 0, nr_llcs) {
			s32 n = scx_bpf_dsq_nr_queued(LLC_DSQ_BASE + i);

			if (i != own && n > most) {
				most = n;
				victim = i;
			}
		}
		if (victim != own && scx_bpf_dsq_move_to_local(LLC_DSQ_BASE + victim, 0)) {
			__sync_fetch_and_add(&nr_dispatched, 1);
			__sync_fetch_and_add(&nr_steals, 1);
			return;
		}
	}
	if (scx_bpf_dsq_move_to_local(LLC_DSQ_BASE + own, 0)) {
		__sync_fetch_and_add(&nr_dispatched, 1);
		return;
	}
	if (!steal)
		return;
	bpf_for(i, 1, nr_llcs) {
		/* move_to_local skips tasks this CPU may not run. */
		if (scx_bpf_dsq_move_to_local(LLC_DSQ_BASE + (own + i) % nr_llcs, 0)) {
			__sync_fetch_and_add(&nr_dispatched, 1);
			__sync_fetch_and_add(&nr_steals, 1);
			return;
		}
	}
}

void BPF_STRUCT_OPS(fixture_tick, struct task_struct *p)
{
	check_triggers();
}

/* Counts the idle CPUs of each LLC into llc_idle. */
static void count_idle(void)
{
	const struct cpumask *idle;
	u32 i;

	bpf_for(i, 0, nr_llcs) {
		if (i >= MAX_LLCS)
			break;
		llc_idle[i] = 0;
	}
	idle = scx_bpf_get_idle_cpumask();
	bpf_for(i, 0, nr_cpus) {
		u32 llc;

		if (i >= MAX_CPUS)
			break;
		llc = cpu_llc[i];
		if (llc < MAX_LLCS && bpf_cpumask_test_cpu(i, idle))
			llc_idle[llc]++;
	}
	scx_bpf_put_idle_cpumask(idle);
}

/*
 * Moves queued tasks that may run anywhere out of the longest LLC DSQ: to the LLC with the most idle
 * CPUs and nothing queued, one task per idle CPU; else, when no LLC idles, to the shortest DSQ, half
 * the difference when it is at least two.
 */
static void rebalance_llcs(void)
{
	struct task_struct *p;
	u32 i, longest = 0, shortest = 0, idlest = 0;
	s32 most = -1, least = 0x7fffffff, budget;
	u32 most_idle = 0;

	count_idle();
	bpf_for(i, 0, nr_llcs) {
		s32 n;

		if (i >= MAX_LLCS)
			break;
		n = scx_bpf_dsq_nr_queued(LLC_DSQ_BASE + i);
		llc_depth[i] = n;
		if (n > most) {
			most = n;
			longest = i;
		}
		if (n < least) {
			least = n;
			shortest = i;
		}
		if (!n && llc_idle[i] > most_idle) {
			most_idle = llc_idle[i];
			idlest = i;
		}
	}
	if (most <= 0)
		return;
	if (most_idle && idlest != longest) {
		shortest = idlest;
		budget = most < (s32)most_idle ? most : (s32)most_idle;
	} else if (most - least >= 2) {
		budget = (most - least) / 2;
	} else {
		return;
	}
	bpf_for_each(scx_dsq, p, LLC_DSQ_BASE + longest, 0) {
		if (budget <= 0)
			break;
		if (p->nr_cpus_allowed != nr_cpus || is_migration_disabled(p))
			continue;
		if (scx_bpf_dsq_move(BPF_FOR_EACH_ITER, p, LLC_DSQ_BASE + shortest, 0)) {
			budget--;
			__sync_fetch_and_add(&nr_rebal_moved, 1);
		}
	}
}

/* Kicks every idle CPU that has queued work it may take. */
static void kick_idle_with_work(void)
{
	bool any = false;
	u32 i;

	if (llc_aware) {
		bpf_for(i, 0, nr_llcs) {
			if (i >= MAX_LLCS)
				break;
			llc_depth[i] = scx_bpf_dsq_nr_queued(LLC_DSQ_BASE + i);
			any = any || llc_depth[i] > 0;
		}
	} else {
		any = scx_bpf_dsq_nr_queued(SHARED_DSQ) > 0;
	}
	if (!any)
		return;
	bpf_for(i, 0, nr_cpus) {
		u32 llc;

		if (i >= MAX_CPUS)
			break;
		llc = cpu_llc[i];
		if (llc_aware && !steal && (llc >= MAX_LLCS || !llc_depth[llc]))
			continue;
		/* SCX_KICK_IDLE: a no-op on a busy CPU. */
		scx_bpf_kick_cpu(i, SCX_KICK_IDLE);
	}
}

static int rebal_timerfn(void *map, int *key, struct bpf_timer *timer)
{
	__sync_fetch_and_add(&nr_rebal_runs, 1);
	if (!stall) {
		if (llc_aware && nr_llcs > 1)
			rebalance_llcs();
		kick_idle_with_work();
	}
	if (bpf_timer_start(timer, rebalance_ns, 0))
		scx_bpf_error("ktstr_fixture: cannot re-arm the rebalance timer");
	return 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(fixture_init)
{
	struct bpf_timer *timer;
	u32 key = 0, i;
	int ret;

	started_at = bpf_ktime_get_ns();
	ret = scx_bpf_create_dsq(SHARED_DSQ, -1);
	if (ret) {
		scx_bpf_error("failed to create DSQ %d (%d)", SHARED_DSQ, ret);
		return ret;
	}
	if (llc_aware) {
		bpf_for(i, 0, nr_llcs) {
			ret = scx_bpf_create_dsq(LLC_DSQ_BASE + i, -1);
			if (ret) {
				scx_bpf_error("failed to create the DSQ of LLC %u (%d)", i, ret);
				return ret;
			}
		}
	}
	if (!rebalance_ns)
		return 0;
	timer = bpf_map_lookup_elem(&rebal_timer, &key);
	if (!timer)
		return -ESRCH;
	bpf_timer_init(timer, &rebal_timer, CLOCK_MONOTONIC);
	bpf_timer_set_callback(timer, rebal_timerfn);
	return bpf_timer_start(timer, rebalance_ns, 0);
}

void BPF_STRUCT_OPS(fixture_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

/*
 * Rejected by the verifier on purpose: reads memory through a scalar after a loop it has to walk
 * iteration by iteration (the helper call keeps clang from folding or unrolling it). Loaded only
 * with --fail-verify.
 */
SEC("syscall")
int fixture_fail_verify(void *ctx)
{
	u64 sum = 0;
	u32 i;

#pragma clang loop unroll(disable)
	for (i = 0; i < 16; i++)
		sum += bpf_get_prandom_u32() & 7;
	return *(volatile u64 *)(long)sum;
}

SCX_OPS_DEFINE(fixture_ops,
	       .select_cpu		= (void *)fixture_select_cpu,
	       .enqueue			= (void *)fixture_enqueue,
	       .dispatch		= (void *)fixture_dispatch,
	       .tick			= (void *)fixture_tick,
	       .init			= (void *)fixture_init,
	       .exit			= (void *)fixture_exit,
	       .flags			= SCX_OPS_ENQ_LAST,
	       .name			= "ktstr_fixture");
