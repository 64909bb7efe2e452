// SPDX-License-Identifier: Apache-2.0
/*
 * Every work type (ktstr facts §7.2) run as a small group for a fraction of a second; each test
 * asserts the type's signature in its reports. The host is small and shared, so the assertions
 * are relative (ratios, invariants between fields), never absolute throughput.
 */
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "test_work_util.h"

#define RUN_MS 400

static void dump(const char *what, const struct kw_report *r, uint32_t n)
{
	if (!getenv("KTSTR_TEST_VERBOSE"))
		return;
	for (uint32_t i = 0; i < n; i++, r++)
		fprintf(stderr,
			"  %s[%u] kind=%u code=%d sig=%d done=%u msg=%u units=%llu it=%llu cpu=%.1fms wall=%.1fms "
			"off=%.1fms delay=%.1fms runs=%llu sscpu=%.1fms vcs=%llu ics=%llu lat(n=%llu min=%lluns max=%lluns) mig=%llu "
			"cpus=%s gap=%.2fms@%d children=%llu nodes=%u\n",
			what, i, r->exit_kind, r->exit_code, r->term_signal, r->completed, r->is_messenger,
			(unsigned long long)r->work_units, (unsigned long long)r->iterations, r->cpu_time_ns / 1e6,
			r->wall_time_ns / 1e6, r->off_cpu_ns / 1e6, r->schedstat_run_delay_ns / 1e6,
			(unsigned long long)r->schedstat_run_count, r->schedstat_cpu_time_ns / 1e6,
			(unsigned long long)r->voluntary_switches, (unsigned long long)r->involuntary_switches,
			(unsigned long long)r->hist.count, (unsigned long long)r->hist.min_ns,
			(unsigned long long)r->hist.max_ns, (unsigned long long)r->migration_count, r->cpus_used,
			r->max_gap_ns / 1e6, r->max_gap_cpu, (unsigned long long)r->children, r->nnodes);
}

/* Schedstat in the report agrees with what the worker itself measured. The kernel counts an
 * arrival on a CPU (pcount) at most once per context switch back in, and the worker reads both
 * counters while running, so the run count is at most the voluntary + involuntary switches (plus
 * the few between the paired reads); it may be lower, because a wakeup that finds the task still
 * queued (EEVDF's delayed dequeue) is not counted as an arrival (seen: 68 runs for 77 switches
 * under load), but never by half. A spinner that was never switched out has a run count of 0.
 * The schedstat CPU time matches the thread's CPU clock within a tick or two. */
static void schedstat_ok(const char *what, uint32_t i, const struct kw_report *r)
{
	uint64_t sw = r->voluntary_switches + r->involuntary_switches, rc = r->schedstat_run_count;
	CHECK(rc <= sw + 2 && 2 * rc + 4 >= sw, "%s[%u]: schedstat run count %llu vs %llu context switches", what, i,
	      (unsigned long long)rc, (unsigned long long)sw);
	double cpu = (double)r->cpu_time_ns, ss = (double)r->schedstat_cpu_time_ns;
	double slack = cpu / 10 > 20e6 ? cpu / 10 : 20e6;
	CHECK(ss >= cpu - slack && ss <= cpu + slack, "%s[%u]: schedstat CPU %.1f ms vs thread CPU clock %.1f ms", what,
	      i, ss / 1e6, cpu / 1e6);
}

/* The invariants every framework report holds (tw_run's window of ms lies inside every loop). */
static void common_ok(const char *what, const struct kw_report *r, uint32_t n, uint32_t group, unsigned ms)
{
	for (uint32_t i = 0; i < n; i++, r++) {
		CHECK(r->exit_kind == KW_EXIT_OK, "%s[%u]: exit_kind %u (signal %d)", what, i, r->exit_kind,
		      r->term_signal);
		CHECK(r->group_id == group && r->index == i && r->pid > 0, "%s[%u]: identity", what, i);
		CHECK(!r->completed, "%s[%u]: ended by itself", what, i);
		CHECK(r->iterations > 0 && r->work_units > 0, "%s[%u]: no progress (it=%llu units=%llu)", what, i,
		      (unsigned long long)r->iterations, (unsigned long long)r->work_units);
		CHECK(r->wall_time_ns >= ms * 1000000ULL, "%s[%u]: wall %llu ns for a %u ms window", what, i,
		      (unsigned long long)r->wall_time_ns, ms);
		CHECK(r->cpu_time_ns + r->off_cpu_ns >= r->wall_time_ns, "%s[%u]: off_cpu = wall - cpu", what, i);
		CHECK(r->cpus_used[0] != 0 && r->max_gap_cpu >= 0, "%s[%u]: cpus_used \"%s\"", what, i, r->cpus_used);
		schedstat_ok(what, i, r);
		CHECK(r->migration_count >= r->nmig, "%s[%u]: migrations", what, i);
		CHECK(r->nnodes >= 1, "%s[%u]: numa_maps not read", what, i);
	}
}

static struct kw_report *run_type(const char *what, struct kw_group_spec s, unsigned ms)
{
	struct kw_report *r = tw_run(&s, ms);
	if (r) {
		dump(what, r, s.count);
		common_ok(what, r, s.count, s.group_id, ms);
	}
	return r;
}

/* One sample per iteration: the last one is not a sample when the stop signal cut it short. */
static int near(uint64_t samples, uint64_t iterations)
{
	return samples == iterations || samples + 1 == iterations;
}

static double cpu_per_iter(const struct kw_report *r)
{
	return (double)r->cpu_time_ns / (double)(r->iterations ? r->iterations : 1);
}

static void test_cpu_spin(void)
{
	struct kw_report *r = run_type("CpuSpin", tw_spec(1, KW_CPU_SPIN, 1, 0, NULL), RUN_MS);
	if (!r)
		return;
	CHECK(r->work_units == r->iterations * 1024, "1024 units per iteration");
	CHECK(r->hist.count == 0, "no blocking, no latency samples");
	/* it never sleeps: the time off CPU is time spent runnable, waiting (schedstat run delay) */
	CHECK(r->voluntary_switches <= 5, "voluntary switches %llu", (unsigned long long)r->voluntary_switches);
	double diff = (double)r->off_cpu_ns - (double)r->schedstat_run_delay_ns;
	CHECK(diff < 0.1 * r->wall_time_ns + 20e6 && -diff < 0.1 * r->wall_time_ns + 20e6,
	      "off-CPU %llu ns vs run delay %llu ns", (unsigned long long)r->off_cpu_ns,
	      (unsigned long long)r->schedstat_run_delay_ns);
	CHECK(r->schedstat_cpu_time_ns >= r->cpu_time_ns / 2, "schedstat CPU time");
	free(r);
}

static void test_yield_heavy(void)
{
	/* Two yielders pinned to CPU 0 in SCHED_FIFO: each yield hands the CPU to the other and the
	 * machine's own load cannot get in between (RT throttling aside), so every iteration is a
	 * syscall and a cheap switch, far less CPU than a 1024-step spin. Without CAP_SYS_NICE they run
	 * in SCHED_OTHER, where a yield may switch to any other task on CPU 0 and return to cold
	 * caches (6-8 us per yield seen beside four CPU hogs, against 24 us per spin burst): the bound
	 * is then 2x instead of 4x. */
	char *aff[] = { "0", "0", NULL };
	struct kw_group_spec y = tw_spec(2, KW_YIELD_HEAVY, 2, 0, NULL);
	y.affinity = aff;
	y.policy = KW_POLICY_FIFO;
	y.priority = 1;
	char *err = NULL;
	struct kw_group *probe = kw_group_spawn(&y, &err);
	int rt = probe != NULL;
	kw_group_free(probe);
	free(err);
	if (!rt) {
		fprintf(stderr, "  (SCHED_FIFO refused: yielders run in SCHED_OTHER beside the machine's load)\n");
		y.policy = KW_POLICY_NORMAL;
		y.priority = 0;
	}
	struct kw_report *r = run_type("YieldHeavy", y, RUN_MS);
	struct kw_report *c = run_type("CpuSpin", tw_spec(3, KW_CPU_SPIN, 1, 0, NULL), RUN_MS / 2);
	if (!r || !c)
		goto out;
	for (int i = 0; i < 2; i++) {
		CHECK(r[i].work_units == r[i].iterations, "1 unit per iteration");
		CHECK(r[i].hist.count == 0, "YieldHeavy takes no samples");
		CHECK(cpu_per_iter(&r[i]) * (rt ? 4 : 2) < cpu_per_iter(c), "CPU per yield %.0f ns vs per spin burst %.0f ns",
		      cpu_per_iter(&r[i]), cpu_per_iter(c));
		/* with company on the CPU a yield switches: in FIFO nearly every one, to the partner */
		uint64_t sw = r[i].voluntary_switches + r[i].involuntary_switches;
		CHECK(sw >= r[i].iterations / (rt ? 2 : 50), "switches %llu+%llu for %llu yields sharing a CPU",
		      (unsigned long long)r[i].voluntary_switches, (unsigned long long)r[i].involuntary_switches,
		      (unsigned long long)r[i].iterations);
		CHECK(!strcmp(r[i].cpus_used, "0") && r[i].migration_count == 0, "pinned to CPU 0: %s", r[i].cpus_used);
	}
out:
	free(r);
	free(c);
}

static void test_mixed(void)
{
	struct kw_report *r = run_type("Mixed", tw_spec(4, KW_MIXED, 2, 0, NULL), RUN_MS);
	if (r)
		for (int i = 0; i < 2; i++)
			CHECK(r[i].work_units == r[i].iterations * 1024 && r[i].hist.count == 0, "Mixed[%d] units", i);
	free(r);
}

static void test_io_sync(void)
{
	struct kw_report *r = run_type("IoSync", tw_spec(5, KW_IO_SYNC, 1, 0, NULL), RUN_MS);
	if (!r)
		return;
	CHECK(r->work_units == 16 * r->iterations, "16 writes per iteration");
	/* one sleep sample per iteration, except a last sleep cut short by the stop */
	CHECK(r->hist.count + 1 >= r->iterations && r->hist.count <= r->iterations, "one sleep sample per iteration");
	CHECK(r->hist.min_ns >= 100000, "a 100 us sleep lasts at least 100 us: %llu", (unsigned long long)r->hist.min_ns);
	CHECK(r->voluntary_switches >= r->iterations / 2, "sleeps are voluntary switches");
	free(r);
}

static void test_bursty(void)
{
	uint64_t p[] = { 20, 30 };
	struct kw_report *r = run_type("Bursty", tw_spec(6, KW_BURSTY, 1, 2, p), 500);
	if (!r)
		return;
	CHECK(r->work_units % 1024 == 0, "spin bursts of 1024");
	CHECK(r->iterations >= 3 && r->hist.count + 1 >= r->iterations && r->hist.count <= r->iterations,
	      "one sleep per burst: %llu sleeps, %llu iterations", (unsigned long long)r->hist.count,
	      (unsigned long long)r->iterations);
	CHECK(r->hist.min_ns >= 30000000, "sleeps of 30 ms");
	CHECK(r->off_cpu_ns * 10 >= r->wall_time_ns * 3, "sleeps 30 of every 50 ms: off-CPU %llu of %llu",
	      (unsigned long long)r->off_cpu_ns, (unsigned long long)r->wall_time_ns);
	CHECK(r->max_gap_ns < 30000000 || r->max_gap_ns < r->schedstat_run_delay_ns + 10000000,
	      "sleeps are not gaps: %llu", (unsigned long long)r->max_gap_ns);
	free(r);
}

static void check_partners(const char *what, const struct kw_report *a, const struct kw_report *b, double factor)
{
	double ia = (double)a->iterations, ib = (double)b->iterations;
	CHECK(ia <= ib * factor + 2 && ib <= ia * factor + 2, "%s partners: %llu vs %llu iterations", what,
	      (unsigned long long)a->iterations, (unsigned long long)b->iterations);
	CHECK(a->hist.count > 0 && b->hist.count > 0, "%s: resume latencies recorded", what);
}

static void test_pipe_io(void)
{
	uint64_t p[] = { 256 };
	struct kw_report *r = run_type("PipeIo", tw_spec(7, KW_PIPE_IO, 4, 1, p), RUN_MS);
	if (!r)
		return;
	check_partners("PipeIo 0/1", &r[0], &r[1], 2.0);
	check_partners("PipeIo 2/3", &r[2], &r[3], 2.0);
	/* a worker whose partner stopped first ends inside an iteration (spun, exchange failed) */
	for (int i = 0; i < 4; i++)
		CHECK(r[i].work_units >= 256 * r[i].iterations && r[i].work_units <= 256 * (r[i].iterations + 1),
		      "PipeIo[%d] units", i);
	free(r);
}

static void test_futex_ping_pong(void)
{
	struct kw_report *r = run_type("FutexPingPong", tw_spec(8, KW_FUTEX_PING_PONG, 2, 0, NULL), RUN_MS);
	if (!r)
		return;
	/* strict alternation: the counts differ by at most the exchange in flight */
	check_partners("FutexPingPong", &r[0], &r[1], 1.0);
	CHECK(r[0].voluntary_switches > 0 && r[1].voluntary_switches > 0, "futex waits sleep");
	free(r);
}

static void test_futex_fan_out(void)
{
	uint64_t p[] = { 2, 512 };
	struct kw_report *r = run_type("FutexFanOut", tw_spec(9, KW_FUTEX_FAN_OUT, 3, 2, p), RUN_MS);
	if (!r)
		return;
	CHECK(r[0].is_messenger && !r[1].is_messenger && !r[2].is_messenger, "messenger is rank 0");
	CHECK(r[0].hist.count == 0, "the messenger never waits");
	CHECK(r[1].hist.count > 0 && r[2].hist.count > 0, "receivers record wake latencies");
	CHECK(r[0].work_units == r[0].iterations * (512 + 256), "messenger spins + 256 after each wake");
	free(r);
}

static void test_cache_pressure(void)
{
	uint64_t p[] = { 64, 64 };
	struct kw_report *r = run_type("CachePressure", tw_spec(10, KW_CACHE_PRESSURE, 1, 2, p), RUN_MS);
	if (r)
		CHECK(r->work_units == 1024 * r->iterations && r->hist.count == 0, "1024 steps per iteration");
	free(r);
}

static void test_cache_yield(void)
{
	struct kw_report *r = run_type("CacheYield", tw_spec(11, KW_CACHE_YIELD, 1, 0, NULL), RUN_MS);
	if (r)
		CHECK(r->work_units == 1024 * r->iterations && near(r->hist.count, r->iterations),
		      "1024 steps and one yield sample per iteration");
	free(r);
}

static void test_cache_pipe(void)
{
	uint64_t p[] = { 32, 512 };
	struct kw_report *r = run_type("CachePipe", tw_spec(12, KW_CACHE_PIPE, 2, 2, p), RUN_MS);
	if (!r)
		return;
	check_partners("CachePipe", &r[0], &r[1], 2.0);
	CHECK(r[0].work_units >= 512 * r[0].iterations && r[0].work_units <= 512 * (r[0].iterations + 1),
	      "burst_iters steps per exchange");
	free(r);
}

static void test_sequence(void)
{
	struct kw_group_spec s = tw_spec(13, KW_SEQUENCE, 1, 0, NULL);
	s.nphases = 4;
	s.phases[0] = (struct kw_phase){ KW_PH_SPIN, 30000000 };
	s.phases[1] = (struct kw_phase){ KW_PH_SLEEP, 20000000 };
	s.phases[2] = (struct kw_phase){ KW_PH_YIELD, 10000000 };
	s.phases[3] = (struct kw_phase){ KW_PH_IO, 10000000 };
	struct kw_report *r = run_type("Sequence", s, 500);
	if (!r)
		return;
	/* the 20 ms sleeps are the longest samples; I/O rounds sleep 100 us */
	CHECK(r->hist.max_ns >= 20000000 && r->hist.min_ns < 20000000, "sleep and yield/io samples: %llu..%llu",
	      (unsigned long long)r->hist.min_ns, (unsigned long long)r->hist.max_ns);
	CHECK(r->voluntary_switches >= 4, "sleeps");
	CHECK(r->off_cpu_ns * 10 >= r->wall_time_ns * 2, "a fourth of each pass sleeps");
	free(r);

	/* sleeps alone: each completed sleep is a work unit (no progress would read as starvation) */
	struct kw_group_spec z = tw_spec(24, KW_SEQUENCE, 1, 0, NULL);
	z.nphases = 1;
	z.phases[0] = (struct kw_phase){ KW_PH_SLEEP, 10000000 };
	r = run_type("Sequence(sleep)", z, 200);
	if (!r)
		return;
	CHECK(r->work_units == r->hist.count && near(r->hist.count, r->iterations) && r->hist.min_ns >= 10000000,
	      "a unit per completed 10 ms sleep: units %llu, samples %llu, iterations %llu",
	      (unsigned long long)r->work_units, (unsigned long long)r->hist.count, (unsigned long long)r->iterations);
	free(r);
}

static void test_fork_exit(void)
{
	struct kw_report *r = run_type("ForkExit", tw_spec(14, KW_FORK_EXIT, 1, 0, NULL), RUN_MS);
	if (!r)
		return;
	CHECK(r->children > 0 && r->children == r->iterations && r->work_units == r->children,
	      "children %llu iterations %llu", (unsigned long long)r->children, (unsigned long long)r->iterations);
	CHECK(near(r->hist.count, r->children), "one waitpid sample per child");
	free(r);
}

/* Runs a type's loop in a forked child for max_iters iterations and reports the child's policy and
 * nice after it, packed into the exit status. */
static void run_in_child(uint32_t type, uint64_t iters, int *policy, int *nice_after, uint64_t *done)
{
	uint64_t *shared = mmap_shared_u64();
	pid_t pid = fork();
	if (pid == 0) {
		static struct kw_report rep;
		struct kw_worker w;
		struct kw_group_spec s = tw_spec(1, type, 1, 0, NULL);
		uint64_t slot = 0;
		kw_worker_init(&w, &s, 0, NULL, &slot, &rep);
		w.max_iters = iters;
		kw_worker_run(&w);
		shared[0] = rep.iterations;
		shared[1] = (uint64_t)sched_getscheduler(0);
		errno = 0;
		shared[2] = (uint64_t)(int64_t)getpriority(PRIO_PROCESS, 0);
		_exit(errno ? 1 : 0);
	}
	int st = 0;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child ran");
	*done = shared[0];
	*policy = (int)shared[1];
	*nice_after = (int)(int64_t)shared[2];
	munmap(shared, 4096);
}

static void test_nice_sweep(void)
{
	struct kw_report *r = run_type("NiceSweep", tw_spec(15, KW_NICE_SWEEP, 1, 0, NULL), RUN_MS);
	if (r) {
		CHECK(r->work_units == 512 * r->iterations && near(r->hist.count, r->iterations), "spin 512 + yield sample");
		free(r);
	}
	int policy, nice_after;
	uint64_t done;
	run_in_child(KW_NICE_SWEEP, 39, &policy, &nice_after, &done); /* ends at nice 19 */
	CHECK(done == 39 && nice_after == 0, "NiceSweep ends at nice 0 (got %d after %llu iterations)", nice_after,
	      (unsigned long long)done);
}

static void test_policy_churn(void)
{
	struct kw_report *r = run_type("PolicyChurn", tw_spec(16, KW_POLICY_CHURN, 1, 0, NULL), RUN_MS);
	if (r) {
		CHECK(r->work_units == 1024 * r->iterations && near(r->hist.count, r->iterations), "spin + yield sample");
		free(r);
	}
	int policy, nice_after;
	uint64_t done;
	/* stops mid-cycle: as root in BATCH (OTHER, BATCH, IDLE, FIFO, RR, OTHER, BATCH) */
	run_in_child(KW_POLICY_CHURN, 6, &policy, &nice_after, &done);
	CHECK(done == 6 && policy == SCHED_OTHER, "PolicyChurn resets to SCHED_OTHER (got %d)", policy);
}

static void test_affinity_churn(void)
{
	struct kw_report *r = run_type("AffinityChurn", tw_spec(17, KW_AFFINITY_CHURN, 1, 0, NULL), RUN_MS);
	if (!r)
		return;
	cpu_set_t all;
	CHECK(sched_getaffinity(0, sizeof(all), &all) == 0, "sched_getaffinity");
	if (CPU_COUNT(&all) >= 2) {
		/* a random CPU per iteration, a checkpoint per iteration: it moves, and often */
		CHECK(r->migration_count > 0 && r->migration_count * 10 >= r->iterations,
		      "%llu migrations in %llu iterations", (unsigned long long)r->migration_count,
		      (unsigned long long)r->iterations);
		CHECK(strchr(r->cpus_used, ',') || strchr(r->cpus_used, '-'), "several CPUs used: %s", r->cpus_used);
		CHECK(r->nmig > 0 && r->migrations[0].from_cpu != r->migrations[0].to_cpu, "migration records");
	} else {
		fprintf(stderr, "  (one CPU only: AffinityChurn cannot migrate here)\n");
	}
	free(r);
}

static void test_fan_out_compute(void)
{
	uint64_t p[] = { 2, 64, 2, 50 };
	struct kw_report *r = run_type("FanOutCompute", tw_spec(18, KW_FAN_OUT_COMPUTE, 3, 4, p), RUN_MS);
	if (!r)
		return;
	CHECK(r[0].is_messenger && r[0].hist.count == 0, "messenger");
	for (int i = 1; i < 3; i++) {
		CHECK(r[i].hist.count > 0 && near(r[i].hist.count, r[i].iterations), "receiver %d wake latencies", i);
		/* 2 matmuls per wake; the stop may cut the last round short */
		CHECK(r[i].work_units <= 2 * r[i].iterations && r[i].work_units + 2 >= 2 * r[i].iterations,
		      "receiver %d: 2 matmuls per wake", i);
	}
	free(r);
}

static uint64_t minflt_of(pid_t pid)
{
	struct kw_proc_sample s;
	return (kw_proc_sample(pid, &s) & KW_PROC_STAT) ? s.minflt : 0;
}

static void test_page_fault_churn(void)
{
	uint64_t p[] = { 1024, 64, 64 };
	struct kw_group_spec s = tw_spec(19, KW_PAGE_FAULT_CHURN, 1, 3, p);
	char *err = NULL;
	struct kw_group *g = kw_group_spawn(&s, &err);
	CHECK(g != NULL, "spawn: %s", err);
	if (!g) {
		free(err);
		return;
	}
	pid_t pid = kw_group_pid(g, 0);
	CHECK(kw_group_start(g) == 0, "start");
	CHECK(tw_wait_started(g), "PageFaultChurn iterates within 5 s");
	uint64_t t0 = kw_now_ns(), it0, it1, f0, f1;
	kw_group_iterations(g, &it0);
	f0 = minflt_of(pid);
	/* at least RUN_MS and 16 iterations (up to 5 s: the host may be busy) */
	do {
		tw_sleep_ms(20);
		f1 = minflt_of(pid);
		kw_group_iterations(g, &it1);
	} while ((kw_now_ns() - t0 < RUN_MS * 1000000ULL || it1 - it0 < 16) && kw_now_ns() - t0 < 5000000000ULL);
	static struct kw_report r;
	CHECK(kw_group_stop(g, kw_now_ns() + 5000000000ULL, &r) == 0, "stop");
	kw_group_free(g);
	dump("PageFaultChurn", &r, 1);
	common_ok("PageFaultChurn", &r, 1, 19, RUN_MS);
	/* each iteration faults in up to 64 pages it zapped the round before (about 56 of 256 distinct);
	 * an iteration cut by a read at either end is at most 64 faults */
	CHECK(it1 - it0 >= 16 && f1 - f0 >= (it1 - it0) * 16, "minor faults %llu for %llu iterations",
	      (unsigned long long)(f1 - f0), (unsigned long long)(it1 - it0));
	CHECK(r.work_units == r.iterations * 128, "touches + spins");
}

static void test_mutex_contention(void)
{
	/* Three contenders on one CPU, four fifths of each iteration inside the lock: a contender
	 * preempted there (a tick, the machine's own load) makes the next one that runs wait, however
	 * few CPUs the busy host leaves them (on two free CPUs three contenders may rarely overlap). */
	uint64_t p[] = { 3, 1024, 256 };
	char *aff[] = { "0", "0", "0", NULL };
	struct kw_group_spec s = tw_spec(20, KW_MUTEX_CONTENTION, 3, 3, p);
	s.affinity = aff;
	struct kw_report *r = run_type("MutexContention", s, RUN_MS);
	if (!r)
		return;
	uint64_t lo = UINT64_MAX, hi = 0, waits = 0;
	for (int i = 0; i < 3; i++) {
		lo = r[i].iterations < lo ? r[i].iterations : lo;
		hi = r[i].iterations > hi ? r[i].iterations : hi;
		waits += r[i].hist.count;
		/* work + hold per iteration; the last one may end waiting for the lock (no hold) */
		CHECK(r[i].work_units <= r[i].iterations * 1280 && r[i].work_units + 1024 >= r[i].iterations * 1280,
		      "work + hold per iteration");
	}
	CHECK(lo > 0 && lo * 20 >= hi, "every contender makes progress: %llu..%llu", (unsigned long long)lo,
	      (unsigned long long)hi);
	CHECK(waits > 0, "contenders preempted inside the lock make the others wait");
	free(r);
}

static void test_custom_true(void)
{
	char *argv[] = { "true", NULL }; /* PATH lookup */
	struct kw_group_spec s = tw_spec(21, KW_CUSTOM, 2, 0, NULL);
	s.custom_argv = argv;
	uint64_t t0 = kw_now_ns();
	struct kw_report *r = tw_run_window(&s, 0, TW_UNTIL_EXITED);
	uint64_t took = kw_now_ns() - t0;
	if (!r)
		return;
	dump("Custom true", r, 2);
	for (int i = 0; i < 2; i++) {
		CHECK(r[i].exit_kind == KW_EXIT_OK && r[i].exit_code == 0 && r[i].completed, "true exits 0 by itself");
		CHECK(r[i].iterations == 0 && r[i].hist.count == 0, "no framework telemetry");
		/* without the agent's loop the exit is first seen at the stop, inside the run */
		CHECK(r[i].wall_time_ns > 0 && r[i].wall_time_ns < took && r[i].cpu_time_ns > 0 &&
			      r[i].cpu_time_ns < r[i].wall_time_ns,
		      "wall until its exit was seen: %llu of %llu, cpu %llu", (unsigned long long)r[i].wall_time_ns,
		      (unsigned long long)took, (unsigned long long)r[i].cpu_time_ns);
	}
	free(r);
}

static void test_custom_stopped(void)
{
	char *argv[] = { "/bin/sh", "-c", "i=0; while [ $i -lt 100000000 ]; do i=$((i+1)); done", NULL };
	struct kw_group_spec s = tw_spec(22, KW_CUSTOM, 1, 0, NULL);
	s.custom_argv = argv;
	struct kw_report *r = tw_run(&s, RUN_MS);
	if (!r)
		return;
	dump("Custom sh", r, 1);
	CHECK(r->exit_kind == KW_EXIT_OK && !r->completed && r->term_signal == SIGUSR1, "ended by the stop");
	CHECK(r->cpu_time_ns > 0 && r->schedstat_run_count > 0, "cpu time from /proc: %llu",
	      (unsigned long long)r->cpu_time_ns);
	CHECK(r->wall_time_ns >= RUN_MS / 2 * 1000000ULL && r->cpu_time_ns <= r->wall_time_ns + 20000000,
	      "wall %llu cpu %llu", (unsigned long long)r->wall_time_ns, (unsigned long long)r->cpu_time_ns);
	free(r);
}

static void test_custom_missing(void)
{
	char *argv[] = { "/nonexistent/ktstr-no-such-program", NULL };
	struct kw_group_spec s = tw_spec(23, KW_CUSTOM, 1, 0, NULL);
	s.custom_argv = argv;
	struct kw_report *r = tw_run_window(&s, 0, TW_UNTIL_EXITED);
	if (!r)
		return;
	CHECK(r->exit_kind == KW_EXIT_SPAWN_FAILED && r->exit_code == ENOENT, "SPAWN_FAILED with ENOENT: %u %d",
	      r->exit_kind, r->exit_code);
	free(r);
	char *argv2[] = { "ktstr-no-such-program-in-path", NULL };
	s.custom_argv = argv2;
	r = tw_run_window(&s, 0, TW_UNTIL_EXITED);
	if (r)
		CHECK(r->exit_kind == KW_EXIT_SPAWN_FAILED && r->exit_code == ENOENT, "PATH lookup fails: %u %d",
		      r->exit_kind, r->exit_code);
	free(r);
}

int main(void)
{
	RUN(test_cpu_spin);
	RUN(test_yield_heavy);
	RUN(test_mixed);
	RUN(test_io_sync);
	RUN(test_bursty);
	RUN(test_pipe_io);
	RUN(test_futex_ping_pong);
	RUN(test_futex_fan_out);
	RUN(test_cache_pressure);
	RUN(test_cache_yield);
	RUN(test_cache_pipe);
	RUN(test_sequence);
	RUN(test_fork_exit);
	RUN(test_nice_sweep);
	RUN(test_policy_churn);
	RUN(test_affinity_churn);
	RUN(test_fan_out_compute);
	RUN(test_page_fault_churn);
	RUN(test_mutex_contention);
	RUN(test_custom_true);
	RUN(test_custom_stopped);
	RUN(test_custom_missing);
	CHECK(tw_count_children() == 0, "children left behind: %d", tw_count_children());
	return tw_finish("test_work_types");
}
