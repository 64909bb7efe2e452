/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktstr_fixture: the harness's own sched_ext scheduler. It schedules like scx_simple in FIFO mode
 * (one shared queue, default slice) and can be told to fail in each way the harness must report:
 *
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
#define FAVOURED_SLICE_NS (20ULL * 1000 * 1000)
#define STARVED_SLICE_NS (200ULL * 1000)

const volatile u64 stall_after_ns;	/* 0: never */
const volatile u64 exit_after_ns;	/* 0: never */
const volatile u64 error_after_ns;	/* 0: never */
const volatile u64 exit_code = 1;
const volatile bool unfair;

/* Host-writable (guest memory) and loader-writable (SIGUSR1): non-zero stops dispatching. */
volatile u32 stall;

u64 started_at;
u64 nr_enqueued, nr_dispatched, nr_kthreads;

UEI_DEFINE(uei);

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

s32 BPF_STRUCT_OPS(fixture_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);

	/* Direct dispatch would bypass the stall: only when not stalling. */
	if (is_idle && !stall && !is_kthread(p)) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_for(p), 0);
		__sync_fetch_and_add(&nr_dispatched, 1);
	}
	return cpu;
}

void BPF_STRUCT_OPS(fixture_enqueue, struct task_struct *p, u64 enq_flags)
{
	if (is_kthread(p)) {
		/* The kernel drains the global DSQ itself, with or without ops.dispatch. */
		__sync_fetch_and_add(&nr_kthreads, 1);
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
		return;
	}
	__sync_fetch_and_add(&nr_enqueued, 1);
	scx_bpf_dsq_insert(p, SHARED_DSQ, slice_for(p), enq_flags);
}

void BPF_STRUCT_OPS(fixture_dispatch, s32 cpu, struct task_struct *prev)
{
	if (check_triggers())
		return;
	if (scx_bpf_dsq_move_to_local(SHARED_DSQ, 0))
		__sync_fetch_and_add(&nr_dispatched, 1);
}

void BPF_STRUCT_OPS(fixture_tick, struct task_struct *p)
{
	check_triggers();
}

s32 BPF_STRUCT_OPS_SLEEPABLE(fixture_init)
{
	int ret;

	started_at = bpf_ktime_get_ns();
	ret = scx_bpf_create_dsq(SHARED_DSQ, -1);
	if (ret)
		scx_bpf_error("failed to create DSQ %d (%d)", SHARED_DSQ, ret);
	return ret;
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
	       .name			= "ktstr_fixture");
