// SPDX-License-Identifier: Apache-2.0
/*
 * The worker process (ktstr facts §4.4): after fork it becomes its own process group, cleans its
 * signal state and file descriptors, applies affinity, scheduling policy, nice and memory policy,
 * says "ready" on its report pipe, blocks on the start gate, runs its work type's loop until
 * SIGUSR1, and writes one report record. Custom workers exec their program after the gate.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ktstr_io.h"
#include "work_internal.h"

volatile sig_atomic_t kw_stop_flag;

static void on_stop(int sig)
{
	(void)sig;
	kw_stop_flag = 1;
}

/* Longest uninterrupted sleep: a stop signal that lands just before a sleep begins (no EINTR then)
 * is seen within this, like the 100 ms bound of every pipe and futex wait. */
#define SLEEP_SLICE_NS 100000000ULL

void kw_sleep_ns(uint64_t ns)
{
	uint64_t end = kw_now_ns() + ns;
	for (;;) {
		uint64_t now = kw_now_ns();
		if (now >= end || kw_stop_flag)
			return;
		uint64_t left = end - now < SLEEP_SLICE_NS ? end - now : SLEEP_SLICE_NS;
		struct timespec ts = { (time_t)(left / 1000000000ULL), (long)(left % 1000000000ULL) };
		/* EINTR is the stop signal: the flag is set */
		(void)clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
	}
}

const char *kw_step_name(uint32_t step)
{
	switch (step) {
	case KW_STEP_FDS:
		return "file descriptor setup";
	case KW_STEP_SIGNALS:
		return "signal setup";
	case KW_STEP_AFFINITY:
		return "sched_setaffinity";
	case KW_STEP_POLICY:
		return "sched_setscheduler";
	case KW_STEP_NICE:
		return "setpriority";
	case KW_STEP_MEMPOLICY:
		return "set_mempolicy";
	case KW_STEP_PDEATHSIG:
		return "prctl(PR_SET_PDEATHSIG)";
	case KW_STEP_PGID:
		return "setpgid";
	default:
		return "setup";
	}
}

/* ---- the loop, in-process ------------------------------------------------------------------------ */

static uint32_t period_for_units(uint64_t units)
{
	/* 1024 / gcd(units, 1024): the lowest set bit of units is its largest power-of-two divisor */
	uint64_t low = units & (~units + 1);
	return (units == 0 || low >= 1024) ? 1 : (uint32_t)(1024 / low);
}

kw_loop_fn kw_loop_for(const struct kw_group_spec *s, uint32_t rank, uint32_t *period)
{
	uint64_t units;
	kw_loop_fn fn;
	switch (s->type) {
	case KW_CPU_SPIN: fn = kw_loop_cpu_spin; units = 1024; break;
	case KW_YIELD_HEAVY: fn = kw_loop_yield_heavy; units = 1; break;
	case KW_MIXED: fn = kw_loop_mixed; units = 1024; break;
	case KW_IO_SYNC: fn = kw_loop_io_sync; units = 16; break;
	case KW_BURSTY: fn = kw_loop_bursty; units = 0; break; /* checkpoints inside the burst */
	case KW_PIPE_IO: fn = kw_loop_pipe_io; units = kw_param(s, 0); break;
	case KW_FUTEX_PING_PONG: fn = kw_loop_futex_ping_pong; units = kw_param(s, 0); break;
	case KW_FUTEX_FAN_OUT:
		fn = kw_loop_futex_fan_out;
		units = kw_param(s, 1) + (rank == 0 ? 256 : 0);
		break;
	case KW_CACHE_PRESSURE: fn = kw_loop_cache_pressure; units = 1024; break;
	case KW_CACHE_YIELD: fn = kw_loop_cache_yield; units = 1024; break;
	case KW_CACHE_PIPE: fn = kw_loop_cache_pipe; units = kw_param(s, 1); break;
	case KW_SEQUENCE: fn = kw_loop_sequence; units = 1024; break; /* set per phase */
	case KW_FORK_EXIT: fn = kw_loop_fork_exit; units = 1; break;
	case KW_NICE_SWEEP: fn = kw_loop_nice_sweep; units = 512; break;
	case KW_AFFINITY_CHURN: fn = kw_loop_affinity_churn; units = kw_param(s, 0); break;
	case KW_POLICY_CHURN: fn = kw_loop_policy_churn; units = kw_param(s, 0); break;
	case KW_FAN_OUT_COMPUTE:
		fn = kw_loop_fan_out_compute;
		units = rank == 0 ? 256 : kw_param(s, 2);
		break;
	case KW_PAGE_FAULT_CHURN:
		fn = kw_loop_page_fault_churn;
		units = kw_param(s, 1) + kw_param(s, 2);
		break;
	case KW_MUTEX_CONTENTION:
		fn = kw_loop_mutex_contention;
		units = kw_param(s, 1) + kw_param(s, 2);
		break;
	default:
		*period = 0;
		return NULL;
	}
	*period = s->type == KW_BURSTY ? 0 : period_for_units(units);
	return fn;
}

void kw_worker_init(struct kw_worker *w, const struct kw_group_spec *spec, uint32_t index,
		    void *sub_shm, uint64_t *iter_slot, struct kw_report *rep)
{
	memset(w, 0, sizeof(*w));
	memset(rep, 0, sizeof(*rep));
	w->spec = spec;
	w->index = index;
	w->rank = index % kw_group_size(spec);
	w->sub_shm = sub_shm;
	w->pipe_rd = w->pipe_wr = -1;
	w->iter_slot = iter_slot;
	w->rep = rep;
	w->last_cpu = -1;
	rep->group_id = spec->group_id;
	rep->index = index;
	rep->pid = (int32_t)getpid();
	rep->exit_kind = KW_EXIT_OK;
	rep->max_gap_cpu = -1;
	rep->is_messenger = w->rank == 0 && (spec->type == KW_FUTEX_FAN_OUT || spec->type == KW_FAN_OUT_COMPUTE);
	kw_hist_init(&rep->hist);
}

void kw_worker_run(struct kw_worker *w)
{
	kw_loop_fn fn = kw_loop_for(w->spec, w->rank, &w->period);
	kw_meas_begin(w);
	if (fn)
		fn(w);
	w->rep->completed = !kw_stop_flag;
	kw_meas_end(w);
}

/* ---- the forked process -------------------------------------------------------------------------- */

static void send_report(int fd, const struct kw_report *r)
{
	struct kbuf b;
	kbuf_init(&b);
	kbuf_u32(&b, KW_REC_REPORT);
	kbuf_u32(&b, 0); /* length, patched below */
	kw_report_encode(&b, r);
	if (b.oom) {
		fprintf(stderr, "ktstr worker %d: out of memory encoding the report\n", (int)getpid());
		_exit(1);
	}
	uint32_t len = (uint32_t)(b.len - 8);
	for (int i = 0; i < 4; i++)
		b.data[4 + i] = (uint8_t)(len >> (8 * i));
	if (ktstr_write_all(fd, b.data, b.len))
		fprintf(stderr, "ktstr worker %d: cannot write the report: %s\n", (int)getpid(), strerror(errno));
	kbuf_free(&b);
}

/* Default dispositions for everything, SIGPIPE ignored (a dead pipe partner is an EPIPE, not a
 * death), SIGUSR1 = stop (no SA_RESTART: blocking calls return EINTR), then an empty mask. */
static int setup_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	for (int s = 1; s < NSIG; s++) {
		if (s == SIGKILL || s == SIGSTOP || (s >= 32 && s < SIGRTMIN))
			continue; /* unchangeable, or reserved by the C library */
		if (sigaction(s, &sa, NULL))
			return -1;
	}
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL))
		return -1;
	sa.sa_handler = on_stop;
	if (sigaction(SIGUSR1, &sa, NULL))
		return -1;
	sigset_t none;
	sigemptyset(&none);
	return sigprocmask(SIG_SETMASK, &none, NULL);
}

static int close_range_fallback(unsigned lo, unsigned hi)
{
	if (syscall(SYS_close_range, lo, hi, 0) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (long fd = lo; fd < max && (unsigned long)fd <= hi; fd++)
		(void)close((int)fd); /* EBADF for the many that are not open */
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* stdin from /dev/null, stdout to stderr (never into the agent's protocol pipe on bare metal), and
 * every other inherited descriptor closed except `keep`. */
static int setup_fds(int *keep, int nkeep)
{
	/* not O_CLOEXEC: when it lands on 0-2 itself it must survive a Custom exec; else it is closed below */
	int null = open("/dev/null", O_RDWR);
	if (null < 0 || dup2(null, 0) < 0)
		return -1;
	if (fcntl(2, F_GETFD) < 0 && dup2(null, 2) < 0)
		return -1;
	if (dup2(2, 1) < 0)
		return -1;
	qsort(keep, (size_t)nkeep, sizeof(int), cmp_int);
	unsigned lo = 3;
	for (int i = 0; i < nkeep; i++) {
		if (keep[i] < 3 || (unsigned)keep[i] < lo)
			continue;
		if ((unsigned)keep[i] > lo && close_range_fallback(lo, (unsigned)keep[i] - 1))
			return -1;
		lo = (unsigned)keep[i] + 1;
	}
	return close_range_fallback(lo, ~0U);
}

static int apply_mempolicy(const struct kw_group_spec *s)
{
	if (s->mempolicy == KW_MPOL_DEFAULT)
		return 0;
	uint64_t nodes[KW_LIST_WORDS];
	if (kw_list_parse(s->mem_nodes, nodes)) {
		errno = EINVAL;
		return -1;
	}
	int empty = kw_list_empty(nodes);
	/* maxnode = bits + 1: the kernel reads maxnode - 1 bits (get_nodes) */
	return (int)syscall(SYS_set_mempolicy, (int)(s->mempolicy | s->mpol_flags), empty ? NULL : nodes,
			    empty ? 0UL : (unsigned long)KW_LIST_BITS + 1);
}

static int apply_setup(const struct kw_group_spec *s, uint32_t index, uint32_t *step)
{
	if (s->affinity && s->affinity[index] && s->affinity[index][0]) {
		uint64_t bits[KW_LIST_WORDS];
		cpu_set_t set;
		*step = KW_STEP_AFFINITY;
		if (kw_list_parse(s->affinity[index], bits)) {
			errno = EINVAL;
			return -1;
		}
		kw_list_to_cpuset(bits, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return -1;
	}
	struct sched_param sp = { .sched_priority = (int)s->priority };
	*step = KW_STEP_POLICY;
	if (sched_setscheduler(0, (int)s->policy, &sp))
		return -1;
	*step = KW_STEP_NICE;
	if (s->nice && setpriority(PRIO_PROCESS, 0, s->nice))
		return -1;
	*step = KW_STEP_MEMPOLICY;
	if (apply_mempolicy(s))
		return -1;
	*step = KW_STEP_NONE;
	return 0;
}

/*
 * The start gate: one byte per worker. SIGUSR1 is blocked except inside ppoll, so a stop that
 * arrives before the wait is not lost (it would be with a plain blocking read). Returns 0 to
 * start (or, when the stop came first, to report an empty run), 1 when the gate closed without
 * a byte (the group was dropped) or failed.
 */
static int wait_gate(int fd)
{
	sigset_t usr1, none;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&none);
	if (sigprocmask(SIG_BLOCK, &usr1, NULL))
		return 1;
	int rc = 1;
	while (!kw_stop_flag) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (ppoll(&p, 1, NULL, &none) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		char c;
		ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT);
		if (n == 1) {
			rc = 0;
			break;
		}
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			break; /* EAGAIN: a sibling took the byte that woke us; ours is still there */
	}
	if (kw_stop_flag)
		rc = 0;
	if (sigprocmask(SIG_SETMASK, &none, NULL))
		return 1;
	return rc;
}

static void send_ready(int fd, int err, uint32_t step)
{
	struct kw_ready_rec rec = { KW_REC_READY, err, step };
	if (ktstr_write_all(fd, &rec, sizeof(rec)))
		_exit(1); /* the agent is gone or gave up on us */
}

_Noreturn void kw_worker_main(const struct kw_group_spec *spec, uint32_t index, pid_t parent,
			      int gate_rd, int report_wr, int pipe_rd, int pipe_wr, void *sub_shm,
			      uint64_t *iter_slot)
{
	uint32_t step = KW_STEP_PGID;
	int keep[] = { gate_rd, report_wr, pipe_rd, pipe_wr };

	/* setpgid(0, 0) is also done by the parent: whichever runs first wins, both succeed */
	if (setpgid(0, 0))
		goto fail;
	step = KW_STEP_PDEATHSIG;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL))
		goto fail;
	if (getppid() != parent)
		_exit(0); /* the agent died before PDEATHSIG was armed */
	step = KW_STEP_SIGNALS;
	if (setup_signals())
		goto fail;
	step = KW_STEP_FDS;
	if (setup_fds(keep, 4))
		goto fail;
	if (apply_setup(spec, index, &step))
		goto fail;
	send_ready(report_wr, 0, KW_STEP_NONE);

	if (wait_gate(gate_rd))
		_exit(0); /* the group was dropped before start */
	close(gate_rd);

	static struct kw_report rep;
	struct kw_worker w;
	kw_worker_init(&w, spec, index, sub_shm, iter_slot, &rep);
	if (spec->type == KW_CUSTOM) {
		if (kw_custom_exec(spec)) {
			rep.exit_kind = KW_EXIT_SPAWN_FAILED;
			rep.exit_code = errno;
		}
		send_report(report_wr, &rep);
		_exit(rep.exit_kind == KW_EXIT_OK ? 0 : 127);
	}
	w.pipe_rd = pipe_rd;
	w.pipe_wr = pipe_wr;
	if (!kw_stop_flag)
		kw_worker_run(&w);
	send_report(report_wr, &rep);
	_exit(0);

fail:
	send_ready(report_wr, errno, step);
	_exit(1);
}
