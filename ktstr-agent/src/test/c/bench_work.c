// SPDX-License-Identifier: Apache-2.0
/*
 * Measured claims of the worker module, each side by side in one run (run by
 * dev.ktstr.bench.agent.WorkerBench, or alone: make OUT=/tmp/a /tmp/a/tests/bench_work && /tmp/a/tests/bench_work):
 *
 *  1. Measurement overhead: a CpuSpin worker through the whole framework (group spawn, per-iteration
 *     counter, checkpoints, report) against a bare loop of the same spin_burst(1024) with nothing
 *     else, in alternating rounds, compared per CPU-second (insensitive to how busy the host is).
 *  2. Report transport: 256 heavy reports encoded, moved through a pipe with the workers' record
 *     framing and decoded; and a real stop of 256 workers (signal, collect, reap).
 *
 * Options: --rounds N (default 6), --round-ms MS (500), --reply-out FILE (writes a W_STOP reply of
 * the 256 heavy reports, for the Java decoder's figure).
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktstr_io.h"
#include "ktstr_work.h"
#include "work/work_internal.h"

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_work: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* ---- 1. measurement overhead ------------------------------------------------------------------ */

static void on_usr1(int sig)
{
	(void)sig;
	kw_stop_flag = 1;
}

/* A forked child spinning spin_burst(1024) with no bookkeeping at all until SIGUSR1; returns units
 * per CPU-microsecond. */
static double bare_round(unsigned ms, int cpu)
{
	uint64_t *out = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (out == MAP_FAILED)
		die("mmap");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one))
			_exit(3);
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;
		sigaction(SIGUSR1, &sa, NULL);
		struct kw_worker w;
		memset(&w, 0, sizeof(w));
		uint64_t c0 = thread_cpu_ns();
		while (!kw_stop_flag)
			kw_spin(&w, 1024);
		out[0] = w.work_units;
		out[1] = thread_cpu_ns() - c0;
		_exit(0);
	}
	sleep_ms(ms);
	int st;
	if (kill(pid, SIGUSR1) || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		die("bare child");
	double rate = (double)out[0] / ((double)out[1] / 1000.0);
	munmap(out, 4096);
	return rate;
}

/* One CpuSpin worker through the framework; returns units per CPU-microsecond and its iterations. */
static double framework_round(unsigned ms, int cpu, uint64_t *iterations)
{
	char cpus[16];
	snprintf(cpus, sizeof(cpus), "%d", cpu);
	char *aff[] = { cpus, NULL };
	struct kw_group_spec s;
	memset(&s, 0, sizeof(s));
	s.group_id = 1;
	s.cgroup = "";
	s.mem_nodes = "";
	s.type = KW_CPU_SPIN;
	s.count = 1;
	s.affinity = aff;
	char *err = NULL;
	struct kw_group *g = kw_group_spawn(&s, &err);
	if (!g) {
		fprintf(stderr, "bench_work: spawn: %s\n", err);
		exit(2);
	}
	static struct kw_report r;
	if (kw_group_start(g))
		die("start");
	sleep_ms(ms);
	if (kw_group_stop(g, kw_now_ns() + 5000000000ULL, &r) || r.exit_kind != KW_EXIT_OK)
		die("stop");
	kw_group_free(g);
	*iterations = r.iterations;
	return (double)r.work_units / ((double)r.cpu_time_ns / 1000.0);
}

static void bench_overhead(int rounds, unsigned ms)
{
	cpu_set_t mine;
	if (sched_getaffinity(0, sizeof(mine), &mine))
		die("sched_getaffinity");
	int cpu = 0;
	for (int i = CPU_SETSIZE - 1; i >= 0; i--)
		if (CPU_ISSET(i, &mine)) {
			cpu = i;
			break;
		}
	double *bare = calloc((size_t)rounds, sizeof(double)), *fw = calloc((size_t)rounds, sizeof(double));
	double *ratio = calloc((size_t)rounds, sizeof(double));
	printf("== measurement overhead: CpuSpin, %d alternating rounds of %u ms on CPU %d ==\n", rounds, ms, cpu);
	printf("%-6s %22s %22s %10s %12s\n", "round", "bare units/cpu-us", "framework units/cpu-us", "overhead",
	       "iterations");
	for (int i = 0; i < rounds; i++) {
		uint64_t iters;
		/* alternate the order so that drift in the host's load does not favour one side */
		if (i % 2) {
			fw[i] = framework_round(ms, cpu, &iters);
			bare[i] = bare_round(ms, cpu);
		} else {
			bare[i] = bare_round(ms, cpu);
			fw[i] = framework_round(ms, cpu, &iters);
		}
		ratio[i] = 1.0 - fw[i] / bare[i];
		printf("%-6d %22.1f %22.1f %9.2f%% %12llu\n", i, bare[i], fw[i], 100.0 * ratio[i],
		       (unsigned long long)iters);
	}
	qsort(ratio, (size_t)rounds, sizeof(double), cmp_double);
	printf("median overhead: %.2f%% (target < 2%%; negative = noise in the framework's favour)\n\n",
	       100.0 * ratio[rounds / 2]);
	free(bare);
	free(fw);
	free(ratio);
}

/* ---- 2. report transport ----------------------------------------------------------------------- */

#define NREPORTS 256

/* A heavy but realistic report: 256 migrations, ~600 latency buckets spread over 1 us..1 s, 4 nodes. */
static void heavy_report(struct kw_report *r, uint32_t index)
{
	memset(r, 0, sizeof(*r));
	r->group_id = 1;
	r->index = index;
	r->pid = 1000 + (int32_t)index;
	r->work_units = 123456789ULL * (index + 1);
	r->iterations = 120000 + index;
	r->cpu_time_ns = 900000000;
	r->wall_time_ns = 1000000000;
	r->off_cpu_ns = 100000000;
	r->migration_count = 1000;
	r->nmig = KW_MAX_MIGRATIONS;
	for (uint32_t i = 0; i < r->nmig; i++)
		r->migrations[i] = (struct kw_migration){ i * 1000000ULL, i % 8, (i + 1) % 8 };
	snprintf(r->cpus_used, sizeof(r->cpus_used), "0-7");
	kw_hist_init(&r->hist);
	uint64_t seed = index + 1;
	for (int i = 0; i < 100000; i++) {
		/* log-uniform over 1 us .. 1 s */
		double e = 3.0 + 6.0 * (double)(kw_xorshift64(&seed) % 1000000) / 1e6;
		kw_hist_record(&r->hist, (uint64_t)pow(10.0, e));
	}
	r->nnodes = 4;
	for (int i = 0; i < 4; i++)
		r->pages_on_node[i] = 1000u * (unsigned)i;
}

static uint64_t count_buckets(const struct kw_hist *h)
{
	uint64_t n = 0;
	for (int i = 0; i < KW_HIST_BUCKETS; i++)
		n += h->buckets[i] != 0;
	return n;
}

static void bench_transport(const char *reply_out)
{
	static struct kw_report reps[NREPORTS];
	for (uint32_t i = 0; i < NREPORTS; i++)
		heavy_report(&reps[i], i);
	printf("== report transport: %d reports, %llu latency buckets and %u migrations each ==\n", NREPORTS,
	       (unsigned long long)count_buckets(&reps[0].hist), reps[0].nmig);

	/* encode in a child (like the workers), move through one pipe, decode in the parent */
	int p[2];
	if (pipe(p))
		die("pipe");
	uint64_t t0 = kw_now_ns();
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(p[0]);
		struct kbuf b;
		kbuf_init(&b);
		for (uint32_t i = 0; i < NREPORTS; i++) {
			kbuf_reset(&b);
			kbuf_u32(&b, 0);
			kw_report_encode(&b, &reps[i]);
			uint32_t len = (uint32_t)b.len - 4;
			memcpy(b.data, &len, 4);
			if (ktstr_write_all(p[1], b.data, b.len))
				_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	size_t total = 0;
	uint32_t decoded = 0;
	struct kbuf in;
	kbuf_init(&in);
	static struct kw_report d;
	for (;;) {
		uint8_t buf[65536];
		ssize_t n = read(p[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		kbuf_put(&in, buf, (size_t)n);
		total += (size_t)n;
		size_t off = 0;
		while (in.len - off >= 4) {
			uint32_t len;
			memcpy(&len, in.data + off, 4);
			if (in.len - off - 4 < len)
				break;
			struct kbuf_reader rd;
			kbr_init(&rd, in.data + off + 4, len);
			if (kw_report_decode(&rd, &d))
				die("decode");
			decoded++;
			off += 4 + len;
		}
		memmove(in.data, in.data + off, in.len - off);
		in.len -= off;
	}
	int st;
	waitpid(pid, &st, 0);
	uint64_t took = kw_now_ns() - t0;
	close(p[0]);
	kbuf_free(&in);
	printf("%-44s %10.2f ms  (%u decoded, %.1f KiB, %.0f B/report)\n", "encode + pipe + decode, 256 reports",
	       took / 1e6, decoded, total / 1024.0, (double)total / NREPORTS);

	if (reply_out) {
		struct kbuf b;
		kbuf_init(&b);
		kbuf_u32(&b, NREPORTS);
		for (uint32_t i = 0; i < NREPORTS; i++)
			kw_report_encode(&b, &reps[i]);
		FILE *f = fopen(reply_out, "wb");
		if (!f || fwrite(b.data, 1, b.len, f) != b.len || fclose(f))
			die(reply_out);
		kbuf_free(&b);
	}

	/* the real thing: 256 workers stopped, collected and reaped */
	struct kw_group_spec s;
	memset(&s, 0, sizeof(s));
	s.group_id = 2;
	s.cgroup = "";
	s.mem_nodes = "";
	s.type = KW_YIELD_HEAVY;
	s.count = NREPORTS;
	char *err = NULL;
	uint64_t s0 = kw_now_ns();
	struct kw_group *g = kw_group_spawn(&s, &err);
	if (!g) {
		fprintf(stderr, "bench_work: spawn: %s\n", err);
		exit(2);
	}
	uint64_t spawned = kw_now_ns() - s0;
	if (kw_group_start(g))
		die("start");
	sleep_ms(300);
	struct kw_report *out = calloc(NREPORTS, sizeof(*out));
	uint64_t k0 = kw_now_ns();
	if (kw_group_stop(g, kw_now_ns() + 10000000000ULL, out))
		die("stop");
	uint64_t stopped = kw_now_ns() - k0;
	int ok = 0;
	for (int i = 0; i < NREPORTS; i++)
		ok += out[i].exit_kind == KW_EXIT_OK;
	kw_group_free(g);
	free(out);
	printf("%-44s %10.2f ms\n", "spawn 256 workers (forked, set up, ready)", spawned / 1e6);
	printf("%-44s %10.2f ms  (%d of 256 reported; target well under 1 s)\n\n",
	       "stop 256 workers (signal, collect, reap)", stopped / 1e6, ok);
}

int main(int argc, char **argv)
{
	int rounds = 6;
	unsigned ms = 500;
	const char *reply_out = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--round-ms") && i + 1 < argc)
			ms = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--reply-out") && i + 1 < argc)
			reply_out = argv[++i];
		else {
			fprintf(stderr, "usage: bench_work [--rounds N] [--round-ms MS] [--reply-out FILE]\n");
			return 2;
		}
	}
	if (rounds < 1)
		rounds = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	bench_overhead(rounds, ms);
	bench_transport(reply_out);
	return 0;
}
